using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>The <c>Portal:Renewal</c> section.</summary>
public sealed class RenewalJobOptions
{
    public const string Section = "Portal:Renewal";

    /// <summary>How often replaced certificates whose grace period has ended are looked for.</summary>
    [Range(1, 1440)]
    public int SupersededCheckIntervalMinutes { get; set; } = 15;
}

/// <summary>Runs <see cref="SupersededRevoker"/> on a timer (on <see cref="TimeProvider"/>), on one instance of a cluster.</summary>
internal sealed partial class SupersededRevocationService(
    IServiceScopeFactory scopes,
    Cluster.ClusterLeases leases,
    IOptions<RenewalJobOptions> options,
    TimeProvider clock,
    ILogger<SupersededRevocationService> logger) : BackgroundService
{
    public const string LeaseName = "superseded-revocation";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMinutes(options.Value.SupersededCheckIntervalMinutes);
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                if (!await leases.TryAcquireAsync(LeaseName, leases.DurationFor(interval), stoppingToken))
                {
                    continue;
                }
                await using var scope = scopes.CreateAsyncScope();
                var revoked = await scope.ServiceProvider.GetRequiredService<SupersededRevoker>().RevokeDueAsync(null, stoppingToken);
                if (revoked > 0)
                {
                    LogRevoked(logger, revoked);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e); // the next tick tries again
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await leases.ReleaseAsync(LeaseName, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} superseded certificates revoked: their grace period ended.")]
    private static partial void LogRevoked(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Revoking superseded certificates failed; trying again at the next check.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
