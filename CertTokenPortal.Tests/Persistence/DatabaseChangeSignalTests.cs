using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Cluster;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Persistence;

/// <summary>
/// The signal that lets caches skip their stamp reads: on SQLite it holds while nobody commits and moves on every
/// commit, of this process or of another instance on the same file; on PostgreSQL it never vouches for anything.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DatabaseChangeSignalOnSqliteTests(CoreFixture fixture) : IClassFixture<CoreFixture>
{
    private IDatabaseChangeSignal Signal => fixture.Core.Get<IDatabaseChangeSignal>();

    [Fact]
    public void Current_NothingCommitted_SameNumber()
    {
        var first = Signal.Current();

        Assert.NotNull(first);
        Assert.Equal(first, Signal.Current());
    }

    [Fact]
    public async Task Current_CommitInThisProcess_NewNumber()
    {
        var before = Signal.Current();

        await AddEntryAsync(fixture.Core);

        Assert.NotEqual(before, Signal.Current());
    }

    [Fact]
    public async Task Current_CommitByAnotherInstanceOnTheSameFile_NewNumber()
    {
        await using var other = await CoreServices.StartAsync(new Dictionary<string, string?> { ["Portal:DataDirectory"] = fixture.Core.DataDirectory });
        var before = Signal.Current();

        await AddEntryAsync(other);

        Assert.NotEqual(before, Signal.Current());
    }

    [Fact]
    public async Task Current_ReadOnlyWorkOnly_SameNumber()
    {
        var before = Signal.Current();

        await using (var db = fixture.Core.NewDb())
        {
            _ = db.AuditEntries.Count();
        }

        Assert.Equal(before, Signal.Current());
    }

    [Fact]
    public async Task VerifiedStamps_NoCommitBetween_ReadOnceThenAgainAfterACommit()
    {
        var stamps = VerifiedStamps.Under<string>(Signal);
        var reads = 0;
        Task<string?> Read(string key, CancellationToken ct)
        {
            reads++;
            return Task.FromResult<string?>($"{key}#{reads}");
        }

        Assert.Equal("ca#1", await stamps.GetAsync("ca", Read, default));
        Assert.Equal("ca#1", await stamps.GetAsync("ca", Read, default));
        await AddEntryAsync(fixture.Core);
        Assert.Equal("ca#2", await stamps.GetAsync("ca", Read, default));

        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task VerifiedStamps_NoCommitButOlderThanMaxTrust_ReadAgain()
    {
        var stamps = VerifiedStamps.Under<string>(Signal);
        var reads = 0;

        await stamps.GetAsync("ca", (_, _) => Task.FromResult<string?>($"read {++reads}"), default);
        await Task.Delay(VerifiedStamps.MaxTrust + TimeSpan.FromMilliseconds(100));

        Assert.Equal("read 2", await stamps.GetAsync("ca", (_, _) => Task.FromResult<string?>($"read {++reads}"), default));
    }

    [Fact]
    public async Task VerifiedStamps_NotFound_NotKept()
    {
        var stamps = VerifiedStamps.Under<string>(Signal);
        var reads = 0;

        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await stamps.GetAsync("no-such-ca", (_, _) => { reads++; return Task.FromResult<string?>(null); }, default));
        }

        Assert.Equal(3, reads);
    }

    private static async Task AddEntryAsync(CoreServices core)
    {
        await using var db = core.NewDb();
        db.AuditEntries.Add(new AuditEntry { Timestamp = DateTime.UtcNow, UserName = "test", Action = "signal-test", Message = "a commit", Success = true });
        await db.SaveChangesAsync();
    }
}

/// <summary>
/// On PostgreSQL the number moves with the notifications a trigger sends at the commit of a change to a stamp table
/// (from any instance), and vouches for nothing while nobody listens.
/// </summary>
[Trait("Category", "ExternalTool"), Trait("Database", "PostgreSql")]
public sealed class DatabaseChangeSignalOnPostgreSqlTests : IAsyncLifetime
{
    private CoreServices _core = null!;
    private CoreServices _other = null!;

    public async Task InitializeAsync()
    {
        var settings = await TestDatabase.SettingsAsync(DatabaseProvider.PostgreSql);
        _core = await CoreServices.StartAsync(settings);
        // Another instance on the same database (its own data directory, as a second server would have).
        _other = await CoreServices.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _core.Get<PostgreSqlChangeSignal>().StopAsync(default);
        await _other.DisposeAsync();
        await _core.DisposeAsync();
    }

    [Fact]
    public void Current_NobodyListening_VouchesForNothing() => Assert.Null(_core.Get<IDatabaseChangeSignal>().Current());

    [Fact]
    public async Task Current_StampTableChangedByAnotherInstance_NewNumberOnItsNotification()
    {
        var signal = await ListeningAsync();
        var before = signal.Current();

        await _other.Get<ICacheVersions>().BumpAsync("signal-test", default);

        Assert.NotEqual(before, await WaitForChangeAsync(signal, before));
    }

    [Fact]
    public async Task Current_OtherTableChangedOrStampChangeRolledBack_SameNumber()
    {
        var signal = await ListeningAsync();
        var start = signal.Current();
        await _other.Get<ICacheVersions>().EnsureAsync("signal-test", default);
        var before = await WaitForChangeAsync(signal, start); // the stamp row's insert, announced

        await using (var db = _other.NewDb())
        {
            db.AuditEntries.Add(new AuditEntry { Timestamp = DateTime.UtcNow, UserName = "test", Action = "signal-test", Message = "no stamp", Success = true });
            await db.SaveChangesAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.CacheVersions.ExecuteUpdateAsync(s => s.SetProperty(v => v.Version, v => v.Version + 1));
            await transaction.RollbackAsync();
        }
        // Then a real change: once its notification is in, nothing earlier can still be on its way.
        await _other.Get<ICacheVersions>().BumpAsync("signal-test", default);
        var after = await WaitForChangeAsync(signal, before);

        Assert.Equal(before + 1, after);
    }

    [Fact]
    public async Task Changed_ThisProcessCommitted_NewNumberAtOnce()
    {
        var signal = await ListeningAsync();
        var before = signal.Current();

        signal.Changed();

        Assert.NotEqual(before, signal.Current());
    }

    private async Task<IDatabaseChangeSignal> ListeningAsync()
    {
        var listener = _core.Get<PostgreSqlChangeSignal>();
        await listener.StartAsync(default);
        var deadline = DateTime.UtcNow + TestTimeouts.Patience;
        while (listener.Current() is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.NotNull(listener.Current());
        return listener;
    }

    private static async Task<long?> WaitForChangeAsync(IDatabaseChangeSignal signal, long? before)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Patience;
        while (signal.Current() == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        return signal.Current();
    }
}
