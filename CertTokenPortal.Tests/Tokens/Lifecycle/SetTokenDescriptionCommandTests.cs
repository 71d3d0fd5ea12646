using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens.Lifecycle;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Tokens.Lifecycle;

/// <summary>The small token changes: the owner or staff may change them; refusals are audited and change nothing.</summary>
[Trait("Category", "Unit")]
public sealed class SetTokenDescriptionCommandTests : IAsyncLifetime
{
    private static readonly Actor Alice = new("alice", "default", PortalRoles.User, null);
    private static readonly Actor Bob = new("bob", "default", PortalRoles.User, null);
    private CoreServices _core = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreServices.StartAsync();
        await _core.CreateUserAsync("alice");
        await _core.CreateUserAsync("bob");
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task ExecuteAsync_Owner_DescriptionTrimmedAndSavedWithAudit()
    {
        var token = await _core.EnrolCsrAsync("alice", "alice", "old");

        var result = await _core.InScopeAsync(sp => sp.GetRequiredService<SetTokenDescriptionCommand>().ExecuteAsync(Alice, token.Serial, "  laptop  "));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("laptop", (await _core.FindTokenAsync(token.Serial))!.Description);
        await using var db = _core.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenUpdate && e.Serial == token.Serial && e.Success));
    }

    [Fact]
    public async Task ExecuteAsync_TooLong_ValidationAuditedAndUnchanged()
    {
        var token = await _core.EnrolCsrAsync("alice", "alice", "old");

        var result = await _core.InScopeAsync(sp => sp.GetRequiredService<SetTokenDescriptionCommand>()
            .ExecuteAsync(Alice, token.Serial, new string('x', SetTokenDescriptionCommand.MaxDescriptionLength + 1)));

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Equal("old", (await _core.FindTokenAsync(token.Serial))!.Description);
        await using var db = _core.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenUpdate && e.Serial == token.Serial && !e.Success));
    }

    [Fact]
    public async Task ExecuteAsync_AnotherUser_NotFoundAndUnchanged()
    {
        var token = await _core.EnrolCsrAsync("alice", "alice", "old");

        var result = await _core.InScopeAsync(sp => sp.GetRequiredService<SetTokenDescriptionCommand>().ExecuteAsync(Bob, token.Serial, "mine now"));

        // Another user's serial reads as unknown: the answer never tells that it exists.
        Assert.Equal(ErrorKind.NotFound, result.Error?.Kind);
        Assert.Equal("old", (await _core.FindTokenAsync(token.Serial))!.Description);
    }

    [Fact]
    public async Task SetTokenActive_DisableThenEnable_ActiveFollows()
    {
        var token = await _core.EnrolCsrAsync("alice", "alice");

        var disabled = await _core.InScopeAsync(sp => sp.GetRequiredService<SetTokenActiveCommand>().ExecuteAsync(Alice, token.Serial, false));
        Assert.False((await _core.FindTokenAsync(token.Serial))!.Active);
        var enabled = await _core.InScopeAsync(sp => sp.GetRequiredService<SetTokenActiveCommand>().ExecuteAsync(Alice, token.Serial, true));

        Assert.True(disabled.IsSuccess && enabled.IsSuccess, disabled.Error?.Message ?? enabled.Error?.Message);
        Assert.True((await _core.FindTokenAsync(token.Serial))!.Active);
    }
}
