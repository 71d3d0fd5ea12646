using System.ComponentModel.DataAnnotations;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>The <c>Portal:Crl</c> section: how often the CRL refresher looks for CRLs that are due.</summary>
public sealed class CrlRefreshOptions
{
    public const string Section = "Portal:Crl";

    [Range(1, 1440)]
    public int CheckIntervalMinutes { get; set; } = 30;
}

/// <summary>
/// Republishes every local CA's CRL that has entered its overlap window (<c>crl_overlap_days</c> before nextUpdate),
/// or that was never published. Several instances may do this at once: publication itself is race-safe.
/// </summary>
public sealed class CrlRefresher(IDbContextFactory<PortalDbContext> dbFactory, LocalCrlPublisher publisher, TimeProvider clock)
{
    /// <summary>Publishes the CRLs that are due; returns the names of the CAs whose CRL was published.</summary>
    public async Task<IReadOnlyList<string>> RefreshDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<(int Id, string Name, DateTime? NextUpdate, int OverlapDays)> cas;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            cas = (await db.LocalCas.AsNoTracking()
                    .Select(l => new { l.CaConnectorId, l.CaConnector.Name, l.CrlNextUpdate, l.CrlOverlapDays })
                    .ToListAsync(cancellationToken))
                .Select(l => (l.CaConnectorId, l.Name, l.CrlNextUpdate, l.CrlOverlapDays)).ToList();
        }
        var published = new List<string>();
        foreach (var ca in cas)
        {
            if (ca.NextUpdate is null || now >= ca.NextUpdate.Value.AddDays(-ca.OverlapDays))
            {
                await publisher.PublishAsync(ca.Id, cancellationToken);
                published.Add(ca.Name);
            }
        }
        return published;
    }
}

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
