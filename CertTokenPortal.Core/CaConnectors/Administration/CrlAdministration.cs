using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>A CA's current CRL as the admin page shows it.</summary>
public sealed record CrlStatus(string CaName, long Number, DateTime ThisUpdate, DateTime NextUpdate, int RevokedCount);

/// <summary>Publishing a CA's CRL on demand and showing its state.</summary>
public sealed class CrlAdministration(ICaConnectorRegistry registry, CaAdminAudit audit)
{
    public async Task<Result<CrlStatus>> PublishNowAsync(Actor actor, string caName, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ManageCaConnectors))
        {
            return await audit.RefuseAsync(actor, AuditActions.CaCrlPublish, caName, CaAdminAudit.NotAllowed("publish CRLs"), ct);
        }
        var publisher = await FindPublisherAsync(caName, ct);
        if (!publisher.TryGetValue(out var crls, out var error))
        {
            return await audit.RefuseAsync(actor, AuditActions.CaCrlPublish, caName, error, ct);
        }
        var crl = await crls.PublishCrlAsync(ct);
        await audit.Log.RecordAsync(actor, AuditEvent.Succeeded(AuditActions.CaCrlPublish,
            $"Published CRL number {crl.Number} of CA '{caName}' with {crl.RevokedCount} revoked certificate(s), next update {crl.NextUpdate:u}.") with { CaName = caName }, ct);
        return new CrlStatus(caName, crl.Number, crl.ThisUpdate, crl.NextUpdate, crl.RevokedCount);
    }

    public async Task<Result<CrlStatus>> GetStatusAsync(Actor actor, string caName, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ViewCaConnectors))
        {
            return PortalError.Forbidden("Only admins and helpdesk staff may view CA connectors.");
        }
        var publisher = await FindPublisherAsync(caName, ct);
        if (!publisher.TryGetValue(out var crls, out var error))
        {
            return error;
        }
        var crl = await crls.GetCurrentCrlAsync(ct);
        return crl is null
            ? PortalError.NotFound($"The CA '{caName}' has not published a CRL yet.")
            : new CrlStatus(caName, crl.Number, crl.ThisUpdate, crl.NextUpdate, crl.RevokedCount);
    }

    private async Task<Result<ICrlPublisher>> FindPublisherAsync(string caName, CancellationToken ct)
    {
        var connector = await registry.GetAsync(caName, ct);
        if (!connector.TryGetValue(out var ca, out var error))
        {
            return error;
        }
        return ca is ICrlPublisher publisher
            ? Result<ICrlPublisher>.Success(publisher)
            : PortalError.Validation($"The CA '{caName}' ({ca.Type}) does not publish CRLs.");
    }
}
