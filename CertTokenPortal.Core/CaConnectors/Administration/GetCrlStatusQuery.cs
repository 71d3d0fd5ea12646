using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>A CA's current CRL: number, dates, entries (admins and helpdesk).</summary>
public sealed class GetCrlStatusQuery(ICaConnectorRegistry registry, UseCaseGuard guard)
{
    public Task<Result<CrlStatus>> ExecuteAsync(Actor actor, string caName, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ViewCaConnectors, CaErrors.NotAllowedToView, refusal: null, () => ExecuteCheckedAsync(actor, caName, ct), ct);

    private async Task<Result<CrlStatus>> ExecuteCheckedAsync(Actor actor, string caName, CancellationToken ct)
    {
        var publisher = await CrlPublishers.FindAsync(registry, caName, ct);
        if (!publisher.TryGetValue(out var crls, out var error))
        {
            return error;
        }
        var crl = await crls.GetCurrentCrlAsync(ct);
        return crl is null
            ? PortalError.NotFound($"The CA '{caName}' has not published a CRL yet.")
            : new CrlStatus(caName, crl.Number, crl.ThisUpdate, crl.NextUpdate, crl.RevokedCount);
    }
}
