using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.CaConnectors.Local;

/// <summary>Runs <see cref="CrlRefresher"/> on a timer (on <see cref="TimeProvider"/>, so tests can move time), on one instance of a cluster.</summary>
internal sealed partial class CrlRefreshService(
    IServiceScopeFactory scopes,
    Cluster.ClusterLeases leases,
    IOptions<CrlRefreshOptions> options,
    TimeProvider clock,
    ILogger<CrlRefreshService> logger) : Cluster.LeasedPeriodicJob(LeaseName, scopes, leases, clock)
{
    public const string LeaseName = "crl-refresh";

    protected override TimeSpan Interval => TimeSpan.FromMinutes(options.Value.CheckIntervalMinutes);

    protected override async Task RunOnceAsync(IServiceProvider scoped, CancellationToken ct)
    {
        foreach (var name in await scoped.GetRequiredService<CrlRefresher>().RefreshDueAsync(ct))
        {
            LogRepublished(logger, name);
        }
    }

    protected override void LogFailure(Exception exception) => LogFailed(logger, exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "CRL of CA '{Name}' republished: its overlap window was reached.")]
    private static partial void LogRepublished(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "Republishing due CRLs failed; trying again at the next check.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
