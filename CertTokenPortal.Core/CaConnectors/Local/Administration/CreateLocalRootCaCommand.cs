using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using CertTokenPortal.Core.CaConnectors.Local;

namespace CertTokenPortal.Core.CaConnectors.Local.Administration;

/// <summary>What a new local root CA is made of.</summary>
public sealed record NewRootCaRequest(string Name, string Subject) : NewLocalCaRequest(Name, Subject)
{
    public override int ValidityDays { get; init; } = 3650;
}

/// <summary>Creates a new local root CA: a fresh key (encrypted at rest), a self-signed certificate, and its first CRL.</summary>
public sealed class CreateLocalRootCaCommand(
    IDbContextFactory<PortalDbContext> dbFactory,
    LocalCaRecordFactory records,
    LocalCrlPublisher crls,
    ICaConnectorRegistry registry,
    IAuditLog audit, UseCaseGuard guard)
{
    public Task<Result<CaConnectorInfo>> ExecuteAsync(Actor actor, NewRootCaRequest request, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageCaConnectors, CaErrors.NotAllowed("create CAs"),
            refusal => AuditEvent.Failed(AuditActions.CaCreate, refusal.Message) with { CaName = request.Name },
            () => ExecuteCheckedAsync(actor, request, ct), ct);

    private async Task<Result<CaConnectorInfo>> ExecuteCheckedAsync(Actor actor, NewRootCaRequest request, CancellationToken ct)
    {
        if (!request.Check().TryGetValue(out var parts, out var invalid))
        {
            return invalid;
        }
        if (await LocalCaRecordFactory.NameTakenAsync(dbFactory, request.Name, ct))
        {
            return LocalCaRecordFactory.NameTaken(request.Name);
        }

        var (certificate, caKey) = records.CreateRoot(parts.Subject, parts.Key, request.ValidityDays);
        using (caKey)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var record = records.Add(db, request.Name, certificate, [], caKey, request.CrlValidityDays, request.CrlOverlapDays);
            audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.CaCreate,
                $"Created local root CA '{request.Name}' ({certificate.Subject}, {record.LocalCa!.KeyDescription}, valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}).") with { CaName = request.Name });
            // The unique name index decides when someone created the name since the check above.
            if (await LocalCaRecordFactory.SaveNewAsync(db, dbFactory, request.Name, ct) is { } taken)
            {
                return taken;
            }
            await crls.PublishAsync(record.Id, ct);
        }
        return (await registry.ListAsync(ct)).Single(c => c.Name == request.Name);
    }

}
