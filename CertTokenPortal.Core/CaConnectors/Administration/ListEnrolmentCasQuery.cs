using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>
/// The CAs and templates a person enrolling can choose from. Every role may ask: picking a CA is part of enrolling
/// (the policies decide which of them the owner may use).
/// </summary>
public sealed class ListEnrolmentCasQuery(ICaConnectorRegistry registry)
{
    public async Task<Result<IReadOnlyList<CaConnectorInfo>>> ExecuteAsync(Actor actor, CancellationToken ct = default) =>
        Result<IReadOnlyList<CaConnectorInfo>>.Success(await registry.ListAsync(ct));
}
