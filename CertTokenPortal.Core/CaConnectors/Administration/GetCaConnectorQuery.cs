using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>One CA connector as staff see it (admins and helpdesk), without secrets.</summary>
public sealed class GetCaConnectorQuery(ICaConnectorRegistry registry, UseCaseGuard guard)
{
    public Task<Result<CaConnectorInfo>> ExecuteAsync(Actor actor, string name, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ViewCaConnectors, CaErrors.NotAllowedToView, refusal: null, async () =>
            (await registry.ListAsync(ct)).FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal)) is { } found
                ? Result<CaConnectorInfo>.Success(found)
                : CaErrors.NoSuchCa(name), ct);
}
