using CertTokenPortal.Core.Cluster;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CertTokenPortal.Tests.Cluster;

/// <summary>
/// Leases make background work run on one instance at a time and pass to another when the holder stops or dies; cache
/// version stamps count every bump once. Instances are simulated by separate <see cref="ClusterLeases"/> objects (each
/// has its own instance id) on one database; the same tests run on both providers.
/// </summary>
public abstract class ClusterTests(CoreFixture fixture)
{
    private CoreServices Core => fixture.Core;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private ClusterLeases Instance() => new(Core.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<Core.Persistence.PortalDbContext>>(), _clock,
        Options.Create(new ClusterOptions()));

    private static string LeaseName() => $"test-{Guid.NewGuid():N}"[..30];

    [Fact]
    public async Task TryAcquireAsync_EightInstancesAtOnce_ExactlyOneHoldsTheLease()
    {
        var name = LeaseName();
        var instances = Enumerable.Range(0, 8).Select(_ => Instance()).ToList();

        var taken = await Task.WhenAll(instances.Select(i => Task.Run(() => i.TryAcquireAsync(name, TimeSpan.FromMinutes(1), default))));

        Assert.Single(taken, t => t);
        var holder = instances[Array.IndexOf(taken, true)];
        Assert.True(await holder.TryAcquireAsync(name, TimeSpan.FromMinutes(1), default)); // renews its own
        foreach (var other in instances.Where(i => i != holder))
        {
            Assert.False(await other.TryAcquireAsync(name, TimeSpan.FromMinutes(1), default));
        }
    }

    [Fact]
    public async Task TryAcquireAsync_HolderDiedAndLeaseExpired_AnotherInstanceTakesOver()
    {
        var name = LeaseName();
        var (dead, survivor) = (Instance(), Instance());
        Assert.True(await dead.TryAcquireAsync(name, TimeSpan.FromSeconds(30), default));
        Assert.False(await survivor.TryAcquireAsync(name, TimeSpan.FromSeconds(30), default));

        _clock.Advance(TimeSpan.FromSeconds(31));

        Assert.True(await survivor.TryAcquireAsync(name, TimeSpan.FromSeconds(30), default));
        Assert.False(await dead.TryAcquireAsync(name, TimeSpan.FromSeconds(30), default));
    }

    [Fact]
    public async Task ReleaseAsync_CleanStop_AnotherInstanceTakesOverAtOnce()
    {
        var name = LeaseName();
        var (stopping, other) = (Instance(), Instance());
        Assert.True(await stopping.TryAcquireAsync(name, TimeSpan.FromMinutes(5), default));

        await stopping.ReleaseAsync(name, default);

        Assert.True(await other.TryAcquireAsync(name, TimeSpan.FromMinutes(5), default));
    }

    [Fact]
    public async Task BumpAsync_ParallelBumps_EveryBumpCountedOnce()
    {
        var versions = Core.Get<ICacheVersions>();
        var name = $"test-cache-{Guid.NewGuid():N}";
        Assert.Equal(0, await versions.GetAsync(name, default));

        var bumped = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => versions.BumpAsync(name, default))));

        Assert.Equal(10, await versions.GetAsync(name, default));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), bumped.Order());
    }

    [Fact]
    public async Task BumpAsync_InsideRolledBackTransaction_VersionUnchanged()
    {
        var versions = Core.Get<ICacheVersions>();
        var name = $"test-cache-{Guid.NewGuid():N}";
        await versions.BumpAsync(name, default);

        await using (var db = Core.NewDb())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await versions.BumpAsync(db, name, default);
            await transaction.RollbackAsync();
        }

        Assert.Equal(1, await versions.GetAsync(name, default));
    }
}

[Trait("Category", "Unit")]
public sealed class ClusterOnSqliteTests(CoreFixture fixture) : ClusterTests(fixture), IClassFixture<CoreFixture>;

[Trait("Category", "ExternalTool"), Trait("Database", "PostgreSql")]
public sealed class ClusterOnPostgreSqlTests(CoreFixture.OnPostgreSql fixture) : ClusterTests(fixture), IClassFixture<CoreFixture.OnPostgreSql>;
