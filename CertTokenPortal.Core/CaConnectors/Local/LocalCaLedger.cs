using CertTokenPortal.Core.CaConnectors.Publication;
using CertTokenPortal.Core.Cluster;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors.Local;

/// <summary>
/// The local CA's ledger of issued certificates, reached through a context of its own: revocations and hold releases
/// commit here, at once, as they would at an external CA. New lines are written by the token service with the token
/// (<see cref="CaLedgerEntry"/>), never here. A status change bumps the CA's revocation version in the same
/// transaction, which is what tells every instance's <see cref="OcspResponseCache"/> that its answers are stale.
/// </summary>
public sealed class LocalCaLedger(IDbContextFactory<PortalDbContext> dbFactory, ICacheVersions versions, IDatabaseChangeSignal changes)
{
    /// <summary>Marks a valid certificate revoked. One conditional UPDATE: of two concurrent revocations exactly one changes the row.</summary>
    public async Task<Result> RevokeAsync(int caConnectorId, string caName, string serialHex, RevocationReason reason, DateTime revokedAt, CancellationToken ct)
    {
        var serial = NormaliseSerial(serialHex);
        var code = (int)reason;
        await versions.EnsureAsync(OcspResponseCache.RevocationVersionName(caName), ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.IssuedCertificates
            .Where(c => c.CaConnectorId == caConnectorId && c.SerialNumber == serial && c.Status == IssuedCertificateStatus.Valid)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, IssuedCertificateStatus.Revoked)
                .SetProperty(c => c.RevokedAt, revokedAt)
                .SetProperty(c => c.RevocationReason, code), ct);
        if (changed == 1)
        {
            await versions.BumpAsync(db, OcspResponseCache.RevocationVersionName(caName), ct);
            await transaction.CommitAsync(ct);
            changes.Changed();
            return Result.Success();
        }
        return await KnowsSerialAsync(db, caConnectorId, serial, ct)
            ? PortalError.Conflict($"The certificate {serial} of CA '{caName}' is already revoked.")
            : UnknownSerial(caName, serial);
    }

    /// <summary>Makes a certificate on hold valid again; a Conflict when it is not on hold.</summary>
    public async Task<Result> ReleaseHoldAsync(int caConnectorId, string caName, string serialHex, CancellationToken ct)
    {
        var serial = NormaliseSerial(serialHex);
        var hold = (int)RevocationReason.CertificateHold;
        await versions.EnsureAsync(OcspResponseCache.RevocationVersionName(caName), ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.IssuedCertificates
            .Where(c => c.CaConnectorId == caConnectorId && c.SerialNumber == serial
                        && c.Status == IssuedCertificateStatus.Revoked && c.RevocationReason == hold)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, IssuedCertificateStatus.Valid)
                .SetProperty(c => c.RevokedAt, (DateTime?)null)
                .SetProperty(c => c.RevocationReason, (int?)null), ct);
        if (changed == 1)
        {
            await versions.BumpAsync(db, OcspResponseCache.RevocationVersionName(caName), ct);
            await transaction.CommitAsync(ct);
            changes.Changed();
            return Result.Success();
        }
        return await KnowsSerialAsync(db, caConnectorId, serial, ct)
            ? PortalError.Conflict($"The certificate {serial} of CA '{caName}' is not on hold; only certificateHold can be released.")
            : UnknownSerial(caName, serial);
    }

    /// <summary>The OCSP status of each of <paramref name="serials"/> the CA knows; unknown serials are left out.</summary>
    public async Task<IReadOnlyDictionary<string, OcspCertificateStatus>> StatusesAsync(int caConnectorId, IReadOnlyCollection<string> serials, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.IssuedCertificates.AsNoTracking()
            .Where(c => c.CaConnectorId == caConnectorId && serials.Contains(c.SerialNumber))
            .Select(c => new { c.SerialNumber, c.Status, c.RevokedAt, c.RevocationReason, c.IssuedAt })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.SerialNumber, r => r.Status == IssuedCertificateStatus.Valid
            ? (OcspCertificateStatus)new OcspCertificateStatus.Good()
            : new OcspCertificateStatus.Revoked(r.RevokedAt ?? r.IssuedAt, (RevocationReason)(r.RevocationReason ?? 0)));
    }

    /// <summary>Accepts "0a:1b:..", "0A 1B" and lower case; the ledger holds plain upper-case hex.</summary>
    internal static string NormaliseSerial(string serialHex) =>
        new string((serialHex ?? "").Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();

    private static Task<bool> KnowsSerialAsync(PortalDbContext db, int caConnectorId, string serial, CancellationToken ct) =>
        db.IssuedCertificates.AnyAsync(c => c.CaConnectorId == caConnectorId && c.SerialNumber == serial, ct);

    private static PortalError UnknownSerial(string caName, string serial) =>
        PortalError.NotFound($"The CA '{caName}' has not issued a certificate with serial number {serial}.");
}
