using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using CertTokenPortal.Core.CaConnectors.Local;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>What a new local root CA is made of.</summary>
public sealed record NewRootCaRequest(string Name, string Subject)
{
    /// <summary><c>rsa</c> (default) or <c>ec</c>.</summary>
    public string? KeyType { get; init; }
    /// <summary>3072 (default) or 4096 for RSA.</summary>
    public string? KeySize { get; init; }
    /// <summary>P-256 (default) or P-384 for EC.</summary>
    public string? Curve { get; init; }
    public int ValidityDays { get; init; } = 3650;
    public int CrlValidityDays { get; init; } = 7;
    public int CrlOverlapDays { get; init; } = 2;
}

/// <summary>Creates a new local root CA: a fresh key (encrypted at rest), a self-signed certificate, and its first CRL.</summary>
public sealed class CreateLocalRootCa(
    IDbContextFactory<PortalDbContext> dbFactory,
    LocalCaRecordFactory records,
    LocalCrlPublisher crls,
    ICaConnectorRegistry registry,
    CaAdminAudit audit)
{
    public async Task<Result<CaConnectorInfo>> ExecuteAsync(Actor actor, NewRootCaRequest request, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ManageCaConnectors))
        {
            return await audit.RefuseAsync(actor, AuditActions.CaCreate, request.Name, CaAdminAudit.NotAllowed("create CAs"), ct);
        }
        var invalid = CaRules.CheckName(request.Name)
                      ?? CaRules.CheckValidityDays(request.ValidityDays, "validity_days")
                      ?? CaRules.CheckCrlDays(request.CrlValidityDays, request.CrlOverlapDays);
        var key = CaRules.ParseCaKey(request.KeyType, request.KeySize, request.Curve);
        var subject = CaRules.ParseSubject(request.Subject);
        invalid ??= key.Error ?? subject.Error;
        if (invalid is not null)
        {
            return await audit.RefuseAsync(actor, AuditActions.CaCreate, request.Name, invalid, ct);
        }
        if (await LocalCaRecordFactory.NameTakenAsync(dbFactory, request.Name, ct))
        {
            return await audit.RefuseAsync(actor, AuditActions.CaCreate, request.Name, LocalCaRecordFactory.NameTaken(request.Name), ct);
        }

        var (certificate, caKey) = records.CreateRoot(subject.Value, key.Value, request.ValidityDays);
        using (caKey)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var record = records.Add(db, request.Name, certificate, [], caKey, request.CrlValidityDays, request.CrlOverlapDays);
            audit.Log.Add(db, actor, AuditEvent.Succeeded(AuditActions.CaCreate,
                $"Created local root CA '{request.Name}' ({certificate.Subject}, {record.LocalCa!.KeyDescription}, valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}).") with { CaName = request.Name });
            // The unique name index decides when someone created the name since the check above.
            if (await LocalCaRecordFactory.SaveNewAsync(db, dbFactory, request.Name, ct) is { } taken)
            {
                return await audit.RefuseAsync(actor, AuditActions.CaCreate, request.Name, taken, ct);
            }
            await crls.PublishAsync(record.Id, ct);
        }
        return (await registry.ListAsync(ct)).Single(c => c.Name == request.Name);
    }

}
