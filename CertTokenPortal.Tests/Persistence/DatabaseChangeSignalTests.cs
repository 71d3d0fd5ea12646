using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Persistence;

/// <summary>
/// The signal that lets caches skip their stamp reads: on SQLite it holds while nobody commits and moves on every
/// commit, of this process or of another instance on the same file; on PostgreSQL it never vouches for anything.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DatabaseChangeSignalOnSqliteTests(CoreFixture fixture) : IClassFixture<CoreFixture>
{
    private DatabaseChangeSignal Signal => fixture.Core.Get<DatabaseChangeSignal>();

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
        var stamps = new VerifiedStamps<string>(Signal);
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
    public async Task VerifiedStamps_NotFound_NotKept()
    {
        var stamps = new VerifiedStamps<string>(Signal);
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

[Trait("Category", "ExternalTool"), Trait("Database", "PostgreSql")]
public sealed class DatabaseChangeSignalOnPostgreSqlTests(CoreFixture.OnPostgreSql fixture) : IClassFixture<CoreFixture.OnPostgreSql>
{
    [Fact]
    public void Current_OnPostgreSql_NeverVouchesForAStamp() => Assert.Null(fixture.Core.Get<DatabaseChangeSignal>().Current());
}
