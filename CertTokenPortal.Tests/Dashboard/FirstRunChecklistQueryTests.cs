using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Dashboard;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Users;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Dashboard;

/// <summary>The first-run checklist read from real state: what ticks each step, and what does not.</summary>
[Trait("Category", "Unit")]
public sealed class FirstRunChecklistQueryTests : IAsyncLifetime
{
    private CoreServices _core = null!;

    public async Task InitializeAsync() => _core = await CoreServices.StartAsync();

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task ExecuteAsync_FreshInstall_ThreeOpenStepsAndVisible()
    {
        var checklist = await QueryAsync();

        Assert.Equal(["password", "users", "enrol"], checklist.Items.Select(i => i.Key));
        Assert.All(checklist.Items, i => Assert.False(i.Done));
        Assert.True(checklist.Visible);
    }

    [Fact]
    public async Task ExecuteAsync_AdminPasswordResetByAdmin_PasswordStepDone()
    {
        var reset = await _core.InScopeAsync(sp => sp.GetRequiredService<ResetUserPasswordCommand>().ExecuteAsync(TestPki.Admin, "admin", "Another-Passw0rd!"));
        Assert.True(reset.IsSuccess, reset.Error?.Message);

        Assert.True(Item(await QueryAsync(), "password").Done);
    }

    [Fact]
    public async Task ExecuteAsync_OnlyFailedToken_EnrolStepStillOpen()
    {
        await using (var db = _core.NewDb())
        {
            db.Tokens.Add(TestTokens.New("CRT0000000F", RolloutState.Failed, null));
            await db.SaveChangesAsync();
        }

        Assert.False(Item(await QueryAsync(), "enrol").Done);
    }

    [Fact]
    public async Task ExecuteAsync_AllDone_NotVisible()
    {
        await _core.InScopeAsync(sp => sp.GetRequiredService<ResetUserPasswordCommand>().ExecuteAsync(TestPki.Admin, "admin", "Another-Passw0rd!"));
        await _core.CreateUserAsync("alice");
        await _core.EnrolCsrAsync("alice", "first");

        var checklist = await QueryAsync();

        Assert.All(checklist.Items, i => Assert.True(i.Done, i.Key));
        Assert.False(checklist.Visible);
    }

    [Fact]
    public async Task ExecuteAsync_Helpdesk_ForbiddenAndDismissWritesNothing()
    {
        var result = await _core.InScopeAsync(sp => sp.GetRequiredService<FirstRunChecklistQuery>().ExecuteAsync(TestPki.Helpdesk));
        var dismiss = await _core.InScopeAsync(sp => sp.GetRequiredService<DismissFirstRunChecklistCommand>().ExecuteAsync(TestPki.Helpdesk));

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        Assert.Equal(ErrorKind.Forbidden, dismiss.Error?.Kind);
        await using var db = _core.NewDb();
        Assert.False(await db.UserTokens.AnyAsync(t => t.Name == "FirstRunChecklistDismissed"));
    }

    [Fact]
    public async Task Dismiss_Twice_OneMarkAndChecklistHidden()
    {
        for (var i = 0; i < 2; i++)
        {
            var done = await _core.InScopeAsync(sp => sp.GetRequiredService<DismissFirstRunChecklistCommand>().ExecuteAsync(TestPki.Admin));
            Assert.True(done.IsSuccess, done.Error?.Message);
        }

        var checklist = await QueryAsync();

        Assert.True(checklist.Dismissed);
        Assert.False(checklist.Visible);
        await using var db = _core.NewDb();
        Assert.Equal(1, await db.UserTokens.CountAsync(t => t.Name == "FirstRunChecklistDismissed"));
    }

    private static FirstRunItem Item(FirstRunChecklist checklist, string key) => checklist.Items.Single(i => i.Key == key);

    private async Task<FirstRunChecklist> QueryAsync()
    {
        var result = await _core.InScopeAsync(sp => sp.GetRequiredService<FirstRunChecklistQuery>().ExecuteAsync(TestPki.Admin));
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }
}
