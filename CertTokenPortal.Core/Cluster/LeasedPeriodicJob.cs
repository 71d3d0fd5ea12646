using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CertTokenPortal.Core.Cluster;

/// <summary>
/// Background work that runs every <see cref="Interval"/> on one instance of a cluster. Each round first takes or renews
/// the lease <c>leaseName</c>; an instance that does not hold it skips the round, and takes over once the holder has
/// released it (clean stop) or let it expire (crash). A round gets a DI scope of its own, as a request would have. The
/// timer runs on <see cref="TimeProvider"/>, so tests move time instead of sleeping.
/// </summary>
internal abstract class LeasedPeriodicJob(string leaseName, IServiceScopeFactory scopes, ClusterLeases leases, TimeProvider clock)
    : BackgroundService
{
    /// <summary>The time between rounds; read once, when the job starts.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>True: the first round runs at start; false: one interval after it.</summary>
    protected virtual bool RunsAtStart => true;

    /// <summary>One round of the work, on this instance while it holds the lease. Results are the job's to log.</summary>
    protected abstract Task RunOnceAsync(IServiceProvider scoped, CancellationToken ct);

    /// <summary>Logs a failed round in the job's own words; the next tick tries again.</summary>
    protected abstract void LogFailure(Exception exception);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = Interval;
        using var timer = new PeriodicTimer(interval, clock);
        if (RunsAtStart)
        {
            await RunRoundAsync(interval, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RunRoundAsync(interval, stoppingToken);
        }
    }

    private async Task RunRoundAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        try
        {
            if (!await leases.TryAcquireAsync(leaseName, leases.DurationFor(interval), stoppingToken))
            {
                return; // another live instance does the work
            }
            await using var scope = scopes.CreateAsyncScope();
            await RunOnceAsync(scope.ServiceProvider, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // A database hiccup must not end the job, nor a time-out's OperationCanceledException: a job that ends
            // while the host runs stops the whole portal (BackgroundServiceExceptionBehavior.StopHost). Only stopping ends it.
            LogFailure(e);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await leases.ReleaseAsync(leaseName, cancellationToken);
    }
}
