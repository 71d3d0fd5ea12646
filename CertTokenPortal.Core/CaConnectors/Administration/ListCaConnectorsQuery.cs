using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>The CA connectors as staff see them (admins and helpdesk), without secrets.</summary>
public sealed class ListCaConnectorsQuery(ICaConnectorRegistry registry, UseCaseGuard guard)
{
    public Task<Result<IReadOnlyList<CaConnectorInfo>>> ExecuteAsync(Actor actor, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ViewCaConnectors, CaErrors.NotAllowedToView, refusal: null,
            async () => Result<IReadOnlyList<CaConnectorInfo>>.Success(await registry.ListAsync(ct)), ct);
}
