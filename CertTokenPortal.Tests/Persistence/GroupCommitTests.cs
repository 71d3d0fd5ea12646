using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Persistence;

/// <summary>
/// Each write is answered only once the transaction holding it has committed; a write that refuses or fails is undone
/// alone; a cancelled one is not written. On SQLite, writes that queue while a commit is under way share the next one.
/// </summary>
public abstract class GroupCommitTests(CoreFixture fixture)
{
    private readonly string _marker = $"gc-{Guid.NewGuid():N}";

    protected CoreFixture Fixture => fixture;

    [Fact]
    public async Task WriteAsync_OneRefusesAndOneThrowsAmongOthers_OnlyTheirRowsAreUndone()
    {
        var commit = new GroupCommit(fixture.Core.Get<IDbContextFactory<PortalDbContext>>());
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = commit.WriteAsync("a", async (db, ct) =>
        {
            await releaseFirst.Task;
            return await AddAsync(db, "first", ct);
        }, default);
        await Task.Delay(100);

        var kept = commit.WriteAsync("b", (db, ct) => AddAsync(db, "kept", ct), default);
        var refused = commit.WriteAsync("c", async (db, ct) => (await AddAsync(db, "refused", ct)) with { Keep = false }, default);
        var failing = commit.WriteAsync<int>("d", async (db, ct) =>
        {
            await AddAsync(db, "failing", ct);
            throw new InvalidOperationException("a bug in one write");
        }, default);
        var keptToo = commit.WriteAsync("e", (db, ct) => AddAsync(db, "keptToo", ct), default);
        releaseFirst.SetResult();

        await Task.WhenAll(first, kept, refused, keptToo).WaitAsync(TestTimeouts.Patience);
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        await using var db = fixture.Core.NewDb();
        var saved = await db.AuditEntries.Where(a => a.Action == _marker).Select(a => a.Message).OrderBy(m => m).ToListAsync();
        Assert.Equal(["first", "kept", "keptToo"], saved);
    }

    [Fact]
    public async Task WriteAsync_CancelledBeforeItRuns_NotWritten()
    {
        var commit = new GroupCommit(fixture.Core.Get<IDbContextFactory<PortalDbContext>>());
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => commit.WriteAsync("b", (db, ct) => AddAsync(db, "gone", ct), gone.Token));

        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task WriteAsync_NotDurable_CommittedBeforeTheAnswerAndLaterCommitsFlushedAsBefore()
    {
        var commit = new GroupCommit(fixture.Core.Get<IDbContextFactory<PortalDbContext>>());
        var before = await FlushSettingAsync();

        await commit.WriteAsync("a", (db, ct) => AddAsync(db, "read", ct), durable: false, default);

        Assert.Equal(1, await CountAsync());
        // The connection goes back with the setting every other write relies on (SQLite: FULL; PostgreSQL: the server's).
        Assert.Equal(before, await FlushSettingAsync());
        if (fixture.Provider == DatabaseProvider.Sqlite)
        {
            Assert.Equal("2", before);
        }
    }

    private async Task<string?> FlushSettingAsync()
    {
        await using var db = fixture.Core.NewDb();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = db.Database.IsSqlite() ? "PRAGMA synchronous" : "SHOW synchronous_commit";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected async Task<GroupWrite<int>> AddAsync(PortalDbContext db, string message, CancellationToken ct)
    {
        db.AuditEntries.Add(new AuditEntry { Timestamp = DateTime.UtcNow, UserName = "test", Action = _marker, Message = message, Success = true });
        return new GroupWrite<int>(await db.SaveChangesAsync(ct), Keep: true);
    }

    protected async Task<int> CountAsync()
    {
        await using var db = fixture.Core.NewDb();
        return await db.AuditEntries.CountAsync(a => a.Action == _marker);
    }
}

[Trait("Category", "Unit")]
public sealed class GroupCommitOnSqliteTests(CoreFixture fixture) : GroupCommitTests(fixture), IClassFixture<CoreFixture>
{
    [Fact]
    public async Task WriteAsync_WritesQueuedBehindACommit_OneTransactionAndEachAnsweredAfterIt()
    {
        var commit = new GroupCommit(Fixture.Core.Get<IDbContextFactory<PortalDbContext>>());
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = commit.WriteAsync("a", async (db, ct) =>
        {
            firstStarted.SetResult();
            await releaseFirst.Task;
            return await AddAsync(db, "first", ct);
        }, default);
        await firstStarted.Task.WaitAsync(TestTimeouts.Patience);

        // These queue while the first batch holds the turn; the next writer takes all of them at once.
        var queued = Enumerable.Range(0, 6).Select(i => commit.WriteAsync($"b{i}", (db, ct) => AddAsync(db, $"queued{i}", ct), default)).ToList();
        await Task.Delay(200);
        Assert.All(queued, q => Assert.False(q.IsCompleted)); // nobody is answered before the commit holding the rows
        releaseFirst.SetResult();
        await Task.WhenAll(queued.Append(first)).WaitAsync(TestTimeouts.Patience);

        Assert.Equal((2L, 7L), commit.Committed);
        Assert.Equal(7, await CountAsync());
    }

    [Fact]
    public async Task WriteAsync_CancelledBeforeItsBatch_NotWritten()
    {
        var commit = new GroupCommit(Fixture.Core.Get<IDbContextFactory<PortalDbContext>>());
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = commit.WriteAsync("a", async (db, ct) =>
        {
            await releaseFirst.Task;
            return await AddAsync(db, "first", ct);
        }, default);
        await Task.Delay(100);
        using var gone = new CancellationTokenSource();
        var cancelled = commit.WriteAsync("b", (db, ct) => AddAsync(db, "gone", ct), gone.Token);

        await gone.CancelAsync();
        releaseFirst.SetResult();

        await first.WaitAsync(TestTimeouts.Patience);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(1, await CountAsync());
    }
}

[Trait("Category", "ExternalTool"), Trait("Database", "PostgreSql")]
public sealed class GroupCommitOnPostgreSqlTests(CoreFixture.OnPostgreSql fixture) : GroupCommitTests(fixture), IClassFixture<CoreFixture.OnPostgreSql>;
