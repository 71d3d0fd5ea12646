using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Core.Cluster;

/// <summary>Registers what several portal instances on one database share: background-work leases and cache version stamps.</summary>
public static class ClusterServiceCollectionExtensions
{
    public static IServiceCollection AddPortalCluster(this IServiceCollection services)
    {
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ClusterLeases>();
        services.AddSingleton<ICacheVersions, CacheVersions>();
        return services;
    }
}
