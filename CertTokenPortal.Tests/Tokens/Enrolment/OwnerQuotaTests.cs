using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Tokens.Enrolment;

/// <summary>The owner's quotas counted straight in Core: what counts, what does not, and the lock it takes.</summary>
[Trait("Category", "Unit")]
public sealed class OwnerQuotaTests : IAsyncLifetime
{
    private static readonly CertificateOwner Alice = new("alice", "default", null);
    private CoreServices _core = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreServices.StartAsync();
        await _core.CreateUserAsync("alice");
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public void Applies_NoQuota_False()
    {
        Assert.False(OwnerQuota.Applies(EffectivePolicy.None));
        Assert.True(OwnerQuota.Applies(EffectivePolicy.None with { MaxActiveTokens = new PolicySetting<int>(1, "q") }));
    }

    [Fact]
    public async Task CheckAsync_MaxTokensReached_ConflictNamingPolicy()
    {
        await _core.EnrolCsrAsync("alice", "alice");
        await using var db = _core.NewDb();

        var error = await OwnerQuota.CheckAsync(db, Alice, Max(tokens: 1), default);

        Assert.Equal(ErrorKind.Conflict, error?.Kind);
        Assert.Contains("Policy 'quota'", error!.Message);
    }

    [Fact]
    public async Task CheckAsync_FailedAndDeniedTokens_DoNotCount()
    {
        var token = await _core.EnrolCsrAsync("alice", "alice");
        await using var db = _core.NewDb();
        await db.Tokens.Where(t => t.Serial == token.Serial).ExecuteUpdateAsync(s => s.SetProperty(t => t.RolloutState, RolloutState.Failed));

        Assert.Null(await OwnerQuota.CheckAsync(db, Alice, Max(tokens: 1), default));
    }

    [Fact]
    public async Task CheckAsync_EnablingWithActiveQuotaReached_ConflictButNewTokenQuotaIgnored()
    {
        await _core.EnrolCsrAsync("alice", "alice");
        await using var db = _core.NewDb();

        var enabling = await OwnerQuota.CheckAsync(db, Alice, Max(tokens: 1, active: 1), default, newToken: false);
        var onlyHeld = await OwnerQuota.CheckAsync(db, Alice, Max(tokens: 1), default, newToken: false);

        Assert.Equal(ErrorKind.Conflict, enabling?.Kind);
        Assert.Contains("active", enabling!.Message);
        Assert.Null(onlyHeld);
    }

    [Fact]
    public async Task LockAndCheckAsync_WithoutLockRow_Throws()
    {
        await using var db = _core.NewDb();
        await using var transaction = await db.Database.BeginTransactionAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Quota().LockAndCheckAsync(db, Alice, Max(tokens: 1), default));
    }

    [Fact]
    public async Task EnsureLockRowAsync_Twice_OneRowAndLockTaken()
    {
        var quota = Quota();
        await quota.EnsureLockRowAsync(Alice, default);
        await quota.EnsureLockRowAsync(Alice, default);
        await using var db = _core.NewDb();
        await using var transaction = await db.Database.BeginTransactionAsync();

        Assert.Null(await quota.LockAndCheckAsync(db, Alice, Max(tokens: 5), default));
        await transaction.CommitAsync();
        Assert.Equal(1, await db.TokenOwnerLocks.CountAsync(l => l.OwnerUserName == "alice"));
    }

    private OwnerQuota Quota() => new(_core.Get<IDbContextFactory<PortalDbContext>>());

    private static EffectivePolicy Max(int? tokens = null, int? active = null) => EffectivePolicy.None with
    {
        MaxTokens = tokens is null ? null : new PolicySetting<int>(tokens.Value, "quota"),
        MaxActiveTokens = active is null ? null : new PolicySetting<int>(active.Value, "quota"),
    };
}
