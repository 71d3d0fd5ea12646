using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Identity;

/// <summary>
/// The login throttle's counts live in the database: two portal instances (two service providers on one database)
/// count one attacker's failures together, and the forms of one account's name share a count.
/// </summary>
public abstract class LoginThrottleTests(DatabaseProvider provider) : IAsyncLifetime
{
    private readonly TempDirectory _shared = new("ctp-throttle");
    private CoreServices _a = null!;
    private CoreServices _b = null!;

    private LoginThrottle A => _a.Services.GetRequiredService<LoginThrottle>();
    private LoginThrottle B => _b.Services.GetRequiredService<LoginThrottle>();

    public async Task InitializeAsync()
    {
        var settings = provider == DatabaseProvider.Sqlite
            ? new Dictionary<string, string?> { ["Portal:Database:Provider"] = "sqlite", ["ConnectionStrings:Portal"] = $"Data Source={_shared.File("portal.db")}" }
            : await TestDatabase.SettingsAsync(provider);
        _a = await CoreServices.StartAsync(settings);
        _b = await CoreServices.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        CoreServices.DeleteDataDirectory(_shared);
    }

    [Fact]
    public async Task RecordFailure_SpreadOverTwoInstances_BothMakeTheAddressWait()
    {
        for (var i = 0; i < 5; i++)
        {
            await (i % 2 == 0 ? A : B).RecordFailureAsync("alice", null, "10.0.0.1");
        }

        Assert.NotNull(await A.RetryAfterAsync("alice", null, "10.0.0.1"));
        Assert.NotNull(await B.RetryAfterAsync("alice", null, "10.0.0.1"));
        Assert.Null(await B.RetryAfterAsync("alice", null, "10.0.0.2"));
    }

    [Fact]
    public async Task RecordFailure_NameWithTheDefaultRealmInAnyForm_CountsAsOneAccount()
    {
        await A.RecordFailureAsync("bob", null, "10.0.0.3");
        await B.RecordFailureAsync("bob@default", null, "10.0.0.3");
        await A.RecordFailureAsync("BOB", "default", "10.0.0.3");
        await B.RecordFailureAsync("bob@DEFAULT", null, "10.0.0.3");
        await A.RecordFailureAsync("bob", "", "10.0.0.3");

        Assert.NotNull(await B.RetryAfterAsync("bob@default", null, "10.0.0.3"));
        Assert.NotNull(await B.RetryAfterAsync("bob", null, "10.0.0.3"));
        // Another realm's bob is another account.
        Assert.Null(await A.RetryAfterAsync("bob", "corp", "10.0.0.3"));
        Assert.Equal(1, await CountRowsAsync("BOB|10.0.0.3"));
    }

    [Fact]
    public async Task RecordFailure_ConcurrentlyOnBothInstances_LosesNoFailure()
    {
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => (i % 2 == 0 ? A : B).RecordFailureAsync("carol", null, "10.0.0.4"))));

        await using var db = _a.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        Assert.Equal(12, (await db.LoginFailureCounts.SingleAsync(c => c.Key == "CAROL|10.0.0.4")).Failures);
    }

    [Fact]
    public async Task RecordSuccess_OnTheOtherInstance_ClearsTheCountAndWithoutACountWritesNoRow()
    {
        for (var i = 0; i < 5; i++)
        {
            await A.RecordFailureAsync("dora", null, "10.0.0.5");
        }

        await B.RecordSuccessAsync("dora", null, "10.0.0.5");
        await B.RecordSuccessAsync("erin", null, "10.0.0.5");

        Assert.Null(await A.RetryAfterAsync("dora", null, "10.0.0.5"));
        Assert.Equal(0, await CountRowsAsync("DORA|10.0.0.5"));
        Assert.Equal(0, await CountRowsAsync("ERIN|10.0.0.5"));
    }

    private async Task<int> CountRowsAsync(string key)
    {
        await using var db = _b.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        return await db.LoginFailureCounts.CountAsync(c => c.Key == key);
    }
}

[Trait("Category", "Unit")]
public sealed class LoginThrottleOnSqliteTests() : LoginThrottleTests(DatabaseProvider.Sqlite);

[Trait("Category", "ExternalTool")]
[Trait("Database", "PostgreSql")]
public sealed class LoginThrottleOnPostgreSqlTests() : LoginThrottleTests(DatabaseProvider.PostgreSql);
