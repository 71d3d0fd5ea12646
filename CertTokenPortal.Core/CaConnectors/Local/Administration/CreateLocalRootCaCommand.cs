using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using CertTokenPortal.Core.CaConnectors.Local;
using CertTokenPortal.Core.CaConnectors.Administration;

namespace CertTokenPortal.Core.CaConnectors.Local.Administration;

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
        var invalid = CaRules.CheckName(request.Name)
                      ?? CaRules.CheckValidityDays(request.ValidityDays, "validity_days")
                      ?? CaRules.CheckCrlDays(request.CrlValidityDays, request.CrlOverlapDays);
        var key = CaRules.ParseCaKey(request.KeyType, request.KeySize, request.Curve);
        var subject = CaRules.ParseSubject(request.Subject);
        invalid ??= key.Error ?? subject.Error;
        if (invalid is not null)
        {
            return invalid;
        }
        if (await LocalCaRecordFactory.NameTakenAsync(dbFactory, request.Name, ct))
        {
            return LocalCaRecordFactory.NameTaken(request.Name);
        }

        var (certificate, caKey) = records.CreateRoot(subject.Value, key.Value, request.ValidityDays);
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
