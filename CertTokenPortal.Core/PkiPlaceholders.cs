using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CertTokenPortal.Core;

// TEMPORARY until the PKI engine lands: lets the token service and API start without a CA.
internal static class PkiPlaceholders
{
    public static IServiceCollection AddPkiPlaceholders(this IServiceCollection services)
    {
        services.TryAddSingleton<CsrParser>();
        services.TryAddSingleton<KeyGenerator>();
        services.TryAddSingleton<CsrBuilder>();
        services.TryAddSingleton<Pkcs12Builder>();
        services.TryAddScoped<ICaConnectorRegistry, NoCaConnectors>();
        return services;
    }

    private sealed class NoCaConnectors : ICaConnectorRegistry
    {
        public Task<Result<ICaConnector>> GetAsync(string name, CancellationToken cancellationToken = default) =>
            Task.FromResult(Result<ICaConnector>.Failure(PortalError.NotFound($"There is no CA connector '{name}'.")));

        public Task<IReadOnlyList<CaConnectorInfo>> ListAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<CaConnectorInfo>>([]);
    }
}
