using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Audit;

/// <summary>
/// Stand-alone audit entries that arrive together are written as one write of the group commit, and each caller is
/// answered only once its entry is committed, on both databases.
/// </summary>
public abstract class AuditEntryBatchTests(CoreFixture fixture)
{
    private readonly string _marker = $"batch-{Guid.NewGuid():N}";

    [Fact]
    public async Task RecordAsync_ManyWhileACommitIsUnderWay_EachAnsweredAfterItsEntryIsSavedInFewWrites()
    {
        var audit = fixture.Core.Get<IAuditLog>();
        var commit = fixture.Core.Get<GroupCommit>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Holds the commit's turn (SQLite) so that the entries below queue up behind it.
        var blocker = commit.WriteAsync("", async (_, _) =>
        {
            await release.Task;
            return new GroupWrite<int>(0, Keep: false);
        }, default);
        var writesBefore = commit.Committed.Writes;

        var recorded = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await audit.RecordReadAsync(TestPki.Admin, AuditEvent.Succeeded(_marker, $"entry {i}"));
            // Answered: the entry must already be readable by anyone.
            await using var db = fixture.Core.NewDb();
            return await db.AuditEntries.AnyAsync(a => a.Action == _marker && a.Message == $"entry {i}");
        })).ToList();
        await Task.Delay(200);
        release.SetResult();

        Assert.All(await Task.WhenAll(recorded).WaitAsync(TestTimeouts.Patience), Assert.True);
        await blocker;
        await using var check = fixture.Core.NewDb();
        Assert.Equal(20, await check.AuditEntries.CountAsync(a => a.Action == _marker));
        if (check.Database.IsSqlite())
        {
            // One write per entry before: now the entries that queued behind the held commit share one or two writes.
            Assert.InRange(commit.Committed.Writes - writesBefore, 1, 3);
        }
    }

    [Fact]
    public async Task RecordAsync_CallerGoneBeforeTheCommit_EntryStillWritten()
    {
        var audit = fixture.Core.Get<IAuditLog>();
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();

        try
        {
            await audit.RecordAsync(TestPki.Admin, AuditEvent.Failed(_marker, "refused"), gone.Token);
        }
        catch (OperationCanceledException)
        {
            // The caller stops waiting; whether it was answered before that depends on how fast the commit was.
        }

        await using var db = fixture.Core.NewDb();
        var deadline = DateTime.UtcNow + TestTimeouts.Patience;
        while (!await db.AuditEntries.AnyAsync(a => a.Action == _marker) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == _marker));
    }
}

[Trait("Category", "Unit")]
public sealed class AuditEntryBatchOnSqliteTests(CoreFixture fixture) : AuditEntryBatchTests(fixture), IClassFixture<CoreFixture>;

[Trait("Category", "ExternalTool"), Trait("Database", "PostgreSql")]
public sealed class AuditEntryBatchOnPostgreSqlTests(CoreFixture.OnPostgreSql fixture) : AuditEntryBatchTests(fixture), IClassFixture<CoreFixture.OnPostgreSql>;
