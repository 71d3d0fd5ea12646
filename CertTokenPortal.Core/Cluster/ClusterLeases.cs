using System.ComponentModel.DataAnnotations;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Cluster;

/// <summary>The <c>Portal:Cluster</c> section: how long a dead instance's background work waits before another takes it.</summary>
public sealed class ClusterOptions
{
    public const string Section = "Portal:Cluster";

    /// <summary>What a lease lasts beyond twice the work's own interval; instance clocks must agree to well within it (NTP).</summary>
    [Range(1, 3600)]
    public int LeaseGraceSeconds { get; set; } = 30;
}

/// <summary>
/// Makes background work (each <see cref="LeasedPeriodicJob"/>: CRL refresh, pending-request polling, superseded
/// revocation) run on one portal instance of a cluster at a time. The holder renews its lease on every round; when it
/// stops (cleanly: it releases; crashed: the lease expires) the next instance to ask takes over. Plain conditional
/// UPDATEs and one INSERT, so it works the same on SQLite and PostgreSQL, and no connection is held between rounds.
/// </summary>
public sealed class ClusterLeases(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, IOptions<ClusterOptions> options)
{
    /// <summary>This process, as lease holder: unique per start even when a host runs several instances.</summary>
    public string InstanceId { get; } = $"{Truncate(Environment.MachineName, 60)}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>The lease duration for work that runs every <paramref name="interval"/>: two rounds may be missed before it is taken over.</summary>
    public TimeSpan DurationFor(TimeSpan interval) => 2 * interval + TimeSpan.FromSeconds(options.Value.LeaseGraceSeconds);

    /// <summary>
    /// Takes or renews the lease <paramref name="name"/> for <paramref name="duration"/>; true when this instance holds it
    /// now and should do the work, false when another live instance does.
    /// </summary>
    public async Task<bool> TryAcquireAsync(string name, TimeSpan duration, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + duration;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var taken = await db.ClusterLeases
            .Where(l => l.Name == name && (l.Holder == InstanceId || l.ExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, InstanceId).SetProperty(l => l.ExpiresAt, until), ct);
        if (taken == 1)
        {
            return true;
        }
        if (await db.ClusterLeases.AnyAsync(l => l.Name == name, ct))
        {
            return false;
        }
        db.ClusterLeases.Add(new ClusterLease { Name = name, Holder = InstanceId, ExpiresAt = until });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another instance created the row a moment ago; it holds the lease.
            return false;
        }
    }

    /// <summary>Gives the lease up (on a clean stop), so that another instance takes the work at its next round.</summary>
    public async Task ReleaseAsync(string name, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await db.ClusterLeases.Where(l => l.Name == name && l.Holder == InstanceId)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTime.UnixEpoch), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database is out of reach at shutdown: the lease then simply expires.
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
