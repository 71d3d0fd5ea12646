using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>Finds configured CA connectors by name and builds them through the factory of their type.</summary>
public interface ICaConnectorRegistry
{
    /// <summary>The connector named <paramref name="name"/>, or a <see cref="ErrorKind.NotFound"/> error naming it.</summary>
    Task<Result<ICaConnector>> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every configured connector, without secrets, for lists and pickers.</summary>
    Task<IReadOnlyList<CaConnectorInfo>> ListAsync(CancellationToken cancellationToken = default);
}
