using System.Net;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Api;

/// <summary>API tokens and browser cookies end with the account: lock, role change, password reset or change, deletion.</summary>
[Trait("Category", "Api")]
public sealed class SessionEndTests(SessionEndTests.FastSessions portal) : IClassFixture<SessionEndTests.FastSessions>
{
    /// <summary>Accounts are re-read every second, as another portal instance would see a change.</summary>
    public sealed class FastSessions() : PortalFactory(new Dictionary<string, string?> { ["Portal:Sessions:CheckSeconds"] = "1" });

    public static TheoryData<string> Changes() => ["lock", "role", "reset", "delete"];

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Jwt_AccountChangedByAdmin_Is401AtOnce(string change)
    {
        var name = $"s{change}{Guid.NewGuid():N}"[..12];
        await portal.CreateUserAsync(name, PortalRoles.Helpdesk);
        var session = await ApiClient.LoginAsync(portal, name, PortalUsers.Password);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/token/")).Status);

        await ChangeAsync(change, name);
        var after = await session.GetAsync("/token/");

        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
        Assert.False(after.Ok);
    }

    [Fact]
    public async Task Jwt_StampChangedBehindThePortalsBack_EndsWithinCheckSeconds()
    {
        // A change written by another instance: this process's cache is not told, the database is.
        await portal.CreateUserAsync("otherinst", PortalRoles.User);
        var session = await ApiClient.LoginAsync(portal, "otherinst", PortalUsers.Password);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/token/")).Status);

        await using (var db = portal.NewDb())
        {
            await db.Users.Where(u => u.UserName == "otherinst").ExecuteUpdateAsync(u => u.SetProperty(x => x.SecurityStamp, "changed-elsewhere"));
        }
        var ended = DateTime.UtcNow;
        HttpStatusCode status;
        do
        {
            status = (await session.GetAsync("/token/")).Status;
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow - ended < TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(DateTime.UtcNow - ended < TimeSpan.FromSeconds(3), $"took {(DateTime.UtcNow - ended).TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Cookie_AccountLocked_NoLongerAuthenticates()
    {
        await portal.CreateUserAsync("cookielock", PortalRoles.User);
        using var browser = portal.CreateNonRedirectingClient();
        using (await browser.PostLoginAsync("cookielock", PortalUsers.Password))
        {
        }
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/token/")).StatusCode);

        await ChangeAsync("lock", "cookielock");
        using var after = await browser.GetAsync("/token/");

        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task ChangeOwnPassword_RightCurrentPassword_EndsTheTokenAndTheNewPasswordWorks()
    {
        await portal.CreateUserAsync("ownpw", PortalRoles.User);
        var session = await ApiClient.LoginAsync(portal, "ownpw", PortalUsers.Password);

        var changed = await session.PostFormAsync("/auth/password", ("password", PortalUsers.Password), ("new_password", "Brand-New-Passw0rd!"));

        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/token/")).Status);
        await ApiClient.LoginAsync(portal, "ownpw", "Brand-New-Passw0rd!");
        await using var db = portal.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.UserPasswordChange && e.Success && e.TargetUser == "ownpw"));
    }

    [Theory]
    [InlineData("Wrong-Passw0rd!", "Brand-New-Passw0rd!", "current password is not right")]
    [InlineData(PortalUsers.Password, "short", "")]
    [InlineData(PortalUsers.Password, "Has\u0000Nul-Passw0rd!", "control character")]
    public async Task ChangeOwnPassword_Refused_Is400AndTheOldPasswordStillWorks(string current, string next, string message)
    {
        var name = "ownpw" + Guid.NewGuid().ToString("N")[..6];
        await portal.CreateUserAsync(name, PortalRoles.User);
        var session = await ApiClient.LoginAsync(portal, name, PortalUsers.Password);

        var answer = await session.PostJsonAsync("/auth/password", new { password = current, new_password = next });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(message, answer.ErrorMessage);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/token/")).Status);
    }

    [Fact]
    public async Task DeleteUser_TheirTokensStayWithTheirHistory()
    {
        await portal.CreateUserAsync("leaver", PortalRoles.User);
        var admin = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);
        var enrolled = await admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", "leaver"), ("ca", "localCA"), ("genkey", "1"), ("keytype", "ec"), ("curve", "P-256"), ("pin", "Leaver-PIN-1!"));
        Assert.Equal(HttpStatusCode.OK, enrolled.Status);

        var deleted = await admin.DeleteAsync("/user/leaver");
        var again = await admin.DeleteAsync("/user/leaver");

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        await using var db = portal.NewDb();
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "leaver"));
        Assert.Equal(1, await db.Tokens.CountAsync(t => t.OwnerUserName == "leaver"));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.UserDelete && e.Success && e.TargetUser == "leaver"));
    }

    [Fact]
    public async Task DeleteUser_ByHelpdeskOrSelf_RefusedAndNothingDeleted()
    {
        await portal.CreateUserAsync("deskdel", PortalRoles.Helpdesk);
        await portal.CreateUserAsync("stays", PortalRoles.User);
        var helpdesk = await ApiClient.LoginAsync(portal, "deskdel", PortalUsers.Password);
        var admin = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);

        var byHelpdesk = await helpdesk.DeleteAsync("/user/stays");
        var self = await admin.DeleteAsync("/user/admin");

        Assert.Equal(HttpStatusCode.Forbidden, byHelpdesk.Status);
        Assert.Equal(HttpStatusCode.Conflict, self.Status);
        await using var db = portal.NewDb();
        Assert.True(await db.Users.AnyAsync(u => u.UserName == "stays"));
        Assert.True(await db.Users.AnyAsync(u => u.UserName == "admin"));
    }

    private async Task ChangeAsync(string change, string name)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var result = change switch
        {
            "lock" => (await services.GetRequiredService<SetUserLockedCommand>().ExecuteAsync(Actor.System, name, true)).Error,
            "role" => (await services.GetRequiredService<ChangeUserRoleCommand>().ExecuteAsync(Actor.System, name, PortalRoles.User)).Error,
            "reset" => (await services.GetRequiredService<ResetUserPasswordCommand>().ExecuteAsync(Actor.System, name, "Reset-Passw0rd!")).Error,
            "delete" => (await scope.ServiceProvider.GetRequiredService<DeleteUserCommand>().ExecuteAsync(Actor.System, name)).Error,
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        Assert.Null(result);
    }
}
