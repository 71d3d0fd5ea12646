using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.Tokens.Lifecycle;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>
/// Revokes replaced certificates whose grace period has ended, with the reason <c>superseded</c>, in revocation's
/// order: at the CA first, then the history row (a conditional update, so two instances never count one twice), then
/// the CRL is republished once per CA. Run by <see cref="SupersededRevocationService"/> on one instance of a cluster,
/// and at once after a renewal whose template has no grace period.
/// </summary>
public sealed partial class SupersededRevoker(
    IDbContextFactory<PortalDbContext> dbFactory, ICaConnectorRegistry caConnectors, TokenRevoker revoker, IAuditLog audit,
    TimeProvider clock, ILogger<SupersededRevoker> logger)
{
    /// <summary>The most rows one round handles; the rest wait for the next.</summary>
    public const int BatchSize = 500;

    /// <summary>Revokes what is due (of one token, or of all when <paramref name="tokenId"/> is null); returns how many.</summary>
    public async Task<int> RevokeDueAsync(long? tokenId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.TokenCertificates.AsNoTracking()
            .Where(c => c.State == TokenCertificateStates.Superseded && c.RevokeAfter != null && c.RevokeAfter <= now)
            .Where(c => tokenId == null || c.TokenId == tokenId)
            .OrderBy(c => c.RevokeAfter).Take(BatchSize).ToListAsync(ct);
        var revoked = 0;
        var crls = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in due)
        {
            if (!await RevokeAtCaAsync(row, now, ct))
            {
                continue;
            }
            var marked = await db.TokenCertificates
                .Where(c => c.Id == row.Id && c.State == TokenCertificateStates.Superseded)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, TokenCertificateStates.Revoked).SetProperty(c => c.RevokedAt, now), ct);
            if (marked == 1)
            {
                revoked++;
                crls.Add(row.CaName!);
                audit.Add(db, Actor.System, AuditEvent.Succeeded(AuditActions.TokenRevoke,
                    $"Revoked certificate {row.CertificateSerial} of token {row.TokenSerial} as superseded: it was {row.Reason}.") with
                { Serial = row.TokenSerial, CaName = row.CaName });
                await db.SaveChangesAsync(ct);
            }
        }
        foreach (var ca in crls)
        {
            await revoker.RepublishCrlAsync(ca, ct);
        }
        return revoked;
    }

    /// <summary>True when the CA holds the certificate revoked now (already revoked counts: an earlier round got that far).</summary>
    private async Task<bool> RevokeAtCaAsync(TokenCertificate row, DateTime now, CancellationToken ct)
    {
        if (row.CaName is null || row.CertificateSerial is null)
        {
            return false;
        }
        var connector = await caConnectors.GetAsync(row.CaName, ct);
        if (!connector.TryGetValue(out var ca, out var caError))
        {
            LogNotRevoked(logger, row.CertificateSerial, row.TokenSerial, caError.Message);
            return false;
        }
        var atCa = await ca.RevokeAsync(new CaRevokeRequest(row.CertificateSerial, RevocationReason.Superseded, now), ct);
        if (atCa.IsSuccess || atCa.Error.Kind == ErrorKind.Conflict)
        {
            return true;
        }
        LogNotRevoked(logger, row.CertificateSerial, row.TokenSerial, atCa.Error.Message);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Superseded certificate {CertificateSerial} of token {Serial} was not revoked yet: {Reason}")]
    private static partial void LogNotRevoked(ILogger logger, string certificateSerial, string serial, string reason);
}
