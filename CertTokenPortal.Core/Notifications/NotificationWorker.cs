using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Notifications;

/// <summary>
/// Sends the outbox every SendIntervalSeconds and looks for expiring certificates every ExpiryCheckIntervalMinutes,
/// on <see cref="TimeProvider"/> so tests move time instead of sleeping. Safe on several instances without a lease
/// (claims and unique reminder rows referee); a cluster lease around <see cref="RunOnceAsync"/> only saves work.
/// </summary>
public sealed partial class NotificationWorker(
    IServiceScopeFactory scopes, IOptions<MailOptions> options, TimeProvider clock, ILogger<NotificationWorker> logger) : BackgroundService
{
    private DateTime _nextExpiryScan = DateTime.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SendIntervalSeconds), clock);
        do
        {
            await RunOnceAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round: the expiry scan when it is due, then the outbox. Failures are logged; the next round retries.</summary>
    public async Task RunOnceAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var now = clock.GetUtcNow().UtcDateTime;
            if (now >= _nextExpiryScan)
            {
                _nextExpiryScan = now.AddMinutes(options.Value.ExpiryCheckIntervalMinutes);
                await scope.ServiceProvider.GetRequiredService<ExpiryReminder>().ScanAsync(ct);
            }
            await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().SendDueAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRoundFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A notification round failed; the next one tries again")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
