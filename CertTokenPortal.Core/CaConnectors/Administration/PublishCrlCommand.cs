using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>Publishes a CA's CRL now, with the next CRL number (admins only).</summary>
public sealed class PublishCrlCommand(ICaConnectorRegistry registry, IAuditLog audit, UseCaseGuard guard)
{
    public Task<Result<CrlStatus>> ExecuteAsync(Actor actor, string caName, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageCaConnectors, CaErrors.NotAllowed("publish CRLs"),
            refusal => AuditEvent.Failed(AuditActions.CaCrlPublish, refusal.Message) with { CaName = caName },
            () => ExecuteCheckedAsync(actor, caName, ct), ct);

    private async Task<Result<CrlStatus>> ExecuteCheckedAsync(Actor actor, string caName, CancellationToken ct)
    {
        var publisher = await CrlPublishers.FindAsync(registry, caName, ct);
        if (!publisher.TryGetValue(out var crls, out var error))
        {
            return error;
        }
        var crl = await crls.PublishCrlAsync(ct);
        await audit.RecordAsync(actor, AuditEvent.Succeeded(AuditActions.CaCrlPublish,
            $"Published CRL number {crl.Number} of CA '{caName}' with {crl.RevokedCount} revoked certificate(s), next update {crl.NextUpdate:u}.") with { CaName = caName }, ct);
        return new CrlStatus(caName, crl.Number, crl.ThisUpdate, crl.NextUpdate, crl.RevokedCount);
    }
}
