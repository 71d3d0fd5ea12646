using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.CaConnectors.Local;

/// <summary>Runs <see cref="CrlRefresher"/> on a timer (on <see cref="TimeProvider"/>, so tests can move time).</summary>
internal sealed partial class CrlRefreshService(
    CrlRefresher refresher,
    IOptions<CrlRefreshOptions> options,
    TimeProvider clock,
    ILogger<CrlRefreshService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.CheckIntervalMinutes), clock);
        do
        {
            try
            {
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

    [LoggerMessage(Level = LogLevel.Information, Message = "CRL of CA '{Name}' republished: its overlap window was reached.")]
    private static partial void LogRepublished(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "Republishing due CRLs failed; trying again at the next check.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
