using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.CaConnectors.Local;

/// <summary>Runs <see cref="CrlRefresher"/> on a timer (on <see cref="TimeProvider"/>, so tests can move time).</summary>
internal sealed partial class CrlRefreshService(
    CrlRefresher refresher,
    Cluster.ClusterLeases leases,
    IOptions<CrlRefreshOptions> options,
    TimeProvider clock,
    ILogger<CrlRefreshService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMinutes(options.Value.CheckIntervalMinutes);
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                // One instance of a cluster refreshes; another takes over when its lease runs out.
                if (!await leases.TryAcquireAsync(LeaseName, leases.DurationFor(interval), stoppingToken))
                {
                    continue;
                }
                foreach (var name in await refresher.RefreshDueAsync(stoppingToken))
                {
                    LogRepublished(logger, name);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database hiccup must not end the service; the next tick tries again.
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public const string LeaseName = "crl-refresh";

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await leases.ReleaseAsync(LeaseName, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CRL of CA '{Name}' republished: its overlap window was reached.")]
    private static partial void LogRepublished(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "Republishing due CRLs failed; trying again at the next check.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
