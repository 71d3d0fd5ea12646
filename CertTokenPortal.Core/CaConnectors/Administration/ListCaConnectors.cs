using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>
/// The CA connectors as staff see them (admins and helpdesk), without secrets. Enrolment pickers use
/// <see cref="ForEnrolmentAsync"/>, which every role may call: picking a CA is part of enrolling.
/// </summary>
public sealed class ListCaConnectors(ICaConnectorRegistry registry)
{
    public async Task<Result<IReadOnlyList<CaConnectorInfo>>> ExecuteAsync(Actor actor, CancellationToken ct = default) =>
        actor.Allows(Permission.ViewCaConnectors)
            ? Result<IReadOnlyList<CaConnectorInfo>>.Success(await registry.ListAsync(ct))
            : PortalError.Forbidden("Only admins and helpdesk staff may view CA connectors.");

    public async Task<Result<CaConnectorInfo>> GetAsync(Actor actor, string name, CancellationToken ct = default)
    {
        if (!(await ExecuteAsync(actor, ct)).TryGetValue(out var all, out var error))
        {
            return error;
        }
        return all.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal)) is { } found
            ? found
            : PortalError.NotFound($"There is no CA connector named '{name}'.");
    }

    /// <summary>The CAs and templates a person enrolling can choose from.</summary>
    public Task<IReadOnlyList<CaConnectorInfo>> ForEnrolmentAsync(CancellationToken ct = default) => registry.ListAsync(ct);
}
