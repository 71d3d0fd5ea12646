using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Notifications;

/// <summary>
/// Writes the owner's reminder for every certificate that crossed a reminder threshold (default 30, 7 and 1 days
/// before expiry). A token that crosses several at once (first seen 5 days before expiry) gets one mail, for the
/// nearest. Each reminder is an <see cref="ExpiryNotice"/> row, unique per token, certificate and threshold, saved
/// with its mail in one transaction: several instances scanning at once write it exactly once, and a renewed token
/// (a new certificate) is reminded afresh.
/// </summary>
public sealed class ExpiryReminder(
    IDbContextFactory<PortalDbContext> dbFactory, MailSettingsStore settingsStore, TokenNotifications notifications, TimeProvider clock)
{
    /// <summary>Writes the reminders that are due; returns how many tokens were reminded.</summary>
    public async Task<int> ScanAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<(long Id, string CertificateSerial, DateTime NotAfter)> candidates;
        IReadOnlyList<int> thresholds;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var settings = await settingsStore.GetAsync(db, ct);
            thresholds = settings.ExpiryWarningDays;
            if (!settings.CanSend || thresholds.Count == 0)
            {
                return 0;
            }
            var horizon = now.AddDays(thresholds.Max());
            var window = db.Tokens.AsNoTracking()
                .Where(t => t.RolloutState == RolloutState.Enrolled && t.Active && !t.Revoked && t.CertificateSerial != null &&
                            t.NotAfter > now && t.NotAfter <= horizon);
            var rows = await window.Select(t => new { t.Id, t.Serial, t.CertificateSerial, t.NotAfter }).ToListAsync(ct);
            var done = (await db.ExpiryNotices.AsNoTracking()
                    .Where(n => window.Any(t => t.Serial == n.TokenSerial && t.CertificateSerial == n.CertificateSerial))
                    .Select(n => new { n.TokenSerial, n.CertificateSerial, n.ThresholdDays }).ToListAsync(ct))
                .Select(n => (n.TokenSerial, n.CertificateSerial, n.ThresholdDays)).ToHashSet();
            candidates = rows
                .Select(r => (r.Id, r.Serial, CertificateSerial: r.CertificateSerial!, NotAfter: r.NotAfter!.Value))
                .Where(r => !done.Contains((r.Serial, r.CertificateSerial, Threshold(thresholds, r.NotAfter, now))))
                .Select(r => (r.Id, r.CertificateSerial, r.NotAfter)).ToList();
        }

        var reminded = 0;
        foreach (var (id, certificateSerial, notAfter) in candidates)
        {
            if (await RemindAsync(id, certificateSerial, Threshold(thresholds, notAfter, now), (int)Math.Ceiling((notAfter - now).TotalDays), now, ct))
            {
                reminded++;
            }
        }
        return reminded;
    }

    /// <summary>The nearest threshold the certificate has crossed.</summary>
    private static int Threshold(IReadOnlyList<int> thresholds, DateTime notAfter, DateTime now) =>
        thresholds.Where(d => notAfter <= now.AddDays(d)).Min();

    private async Task<bool> RemindAsync(long tokenId, string certificateSerial, int threshold, int daysLeft, DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.Tokens.AsNoTracking().SingleAsync(t => t.Id == tokenId, ct);
        if (token.CertificateSerial != certificateSerial ||
            await db.ExpiryNotices.AnyAsync(n => n.TokenSerial == token.Serial && n.CertificateSerial == certificateSerial && n.ThresholdDays == threshold, ct))
        {
            return false;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.ExpiryNotices.Add(new ExpiryNotice { TokenSerial = token.Serial, CertificateSerial = certificateSerial, ThresholdDays = threshold, CreatedAt = now });
        await notifications.ExpiringAsync(db, token, daysLeft, ct);
        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another instance wrote this reminder a moment ago; the unique key kept it to one.
            await transaction.RollbackAsync(ct);
            return false;
        }
    }
}
