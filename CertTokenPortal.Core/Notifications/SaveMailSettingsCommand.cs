using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace CertTokenPortal.Core.Notifications;

/// <summary>What an admin enters on the Notifications page. A null password keeps the stored one.</summary>
public sealed record MailSettingsInput(
    bool Enabled, string? Host, int Port, MailSecurity Security, string? UserName, string? Password, string? From,
    string? ServerCertificateSha256, string? ExpiryWarningDays);

/// <summary>Saves the admin's SMTP settings and reminder days; they then override the configuration file's.</summary>
public sealed class SaveMailSettingsCommand(
    IDbContextFactory<PortalDbContext> dbFactory, MailSettingsStore store, IAuditLog audit, UseCaseGuard guard, TimeProvider clock)
{
    public async Task<Result> ExecuteAsync(Actor actor, MailSettingsInput input, CancellationToken ct = default) =>
        await guard.RunAsync(actor, Permission.ManageNotifications, NotificationErrors.NotAllowed,
            refusal => AuditEvent.Failed(AuditActions.NotificationSettings, $"Mail settings not saved: {refusal.Message}"),
            () => SaveAsync(actor, input, ct), ct);

    private async Task<Result> SaveAsync(Actor actor, MailSettingsInput input, CancellationToken ct)
    {
        var host = input.Host?.Trim() ?? "";
        var from = input.From?.Trim() ?? "";
        var fingerprint = (input.ServerCertificateSha256 ?? "").Replace(":", "").Trim().ToUpperInvariant();
        if (input.Enabled && (host.Length == 0 || from.Length == 0))
        {
            return NotificationErrors.MissingHost;
        }
        if (input.Port is < 1 or > 65535)
        {
            return NotificationErrors.BadPort;
        }
        if (from.Length > 0 && !MailboxAddress.TryParse(from, out _))
        {
            return NotificationErrors.BadAddress("The sender", from);
        }
        if (fingerprint.Length > 0 && (fingerprint.Length != 64 || !fingerprint.All(Uri.IsHexDigit)))
        {
            return NotificationErrors.BadFingerprint;
        }
        if (!ExpiryDays.Parse(input.ExpiryWarningDays).TryGetValue(out var days, out var daysError))
        {
            return daysError;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.MailSettings.FirstOrDefaultAsync(r => r.Id == MailSettingsRecord.SingletonId, ct);
        if (row is null)
        {
            // The first save from the page takes over the file's password unless a new one is given.
            row = new MailSettingsRecord { EncryptedPassword = store.ProtectPassword((await store.GetAsync(db, ct)).Password) };
            db.MailSettings.Add(row);
        }
        row.Enabled = input.Enabled;
        row.Host = host;
        row.Port = input.Port;
        row.Security = input.Security;
        row.UserName = input.UserName?.Trim() ?? "";
        if (input.Password is not null)
        {
            row.EncryptedPassword = store.ProtectPassword(input.Password);
        }
        row.From = from;
        row.ServerCertificateSha256 = fingerprint;
        row.ExpiryWarningDays = ExpiryDays.Format(days);
        row.UpdatedBy = actor.UserName;
        row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.NotificationSettings,
            $"Mail {(row.Enabled ? "on" : "off")}: {row.Security} {row.Host}:{row.Port}, from {row.From}, reminders {row.ExpiryWarningDays} days before expiry."));
        await db.SaveChangesAsync(ct);
        return Result.Success();
    }
}
