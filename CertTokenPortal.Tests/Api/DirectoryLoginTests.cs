using System.Diagnostics;
using System.Net;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>Logins with the directory password against a real slapd, through /auth and the browser's login form.</summary>
[Trait("Category", "ExternalTool")]
[Collection(OpenLdapCollection.Name)]
public sealed class DirectoryLoginTests(OpenLdapServer ldap, PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private ApiClient _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);
        await DirectoryScenario.ConnectAsync(_admin, ldap);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Auth_DirectoryUserAtRealm_ReturnsJwtWithRoleUserAndRecordsShadowAccount()
    {
        var answer = await DirectoryScenario.AuthAsync(portal, "alice@corp", OpenLdapServer.UserPassword);

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("user", answer.Value.GetProperty("role").GetString());
        Assert.Equal("alice", answer.Value.GetProperty("username").GetString());
        Assert.Equal("corp", answer.Value.GetProperty("realm").GetString());
        var tokens = await DirectoryScenario.Session(portal, answer).GetAsync("/token/");
        Assert.Equal(HttpStatusCode.OK, tokens.Status);

        await using var db = portal.NewDb();
        var shadow = await db.Users.SingleAsync(u => u.UserName == "alice");
        Assert.Equal(("corp", "corp-ldap"), (shadow.Realm, shadow.Resolver));
        Assert.Matches("^[0-9a-f-]{36}$", shadow.ExternalId!);
        Assert.Null(shadow.PasswordHash);
        Assert.Equal("alice.archer@example.org", shadow.Email);
    }

    [Fact]
    public async Task Auth_NameAndRealmParameter_LogsIn()
    {
        var answer = await DirectoryScenario.AuthAsync(portal, "bob", OpenLdapServer.UserPassword, realm: "corp");

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("bob", answer.Value.GetProperty("username").GetString());
    }

    [Fact]
    public async Task Auth_MemberOfMappedHelpdeskGroup_GetsHelpdeskRoleAndMaySeeAllTokens()
    {
        var answer = await DirectoryScenario.AuthAsync(portal, "hanna@corp", OpenLdapServer.UserPassword);

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("helpdesk", answer.Value.GetProperty("role").GetString());
        var users = await DirectoryScenario.Session(portal, answer).GetAsync("/user/?realm=corp&username=alice");
        Assert.Equal(HttpStatusCode.OK, users.Status);
    }

    [Fact]
    public async Task Auth_WrongDirectoryPassword_Is401AuditedAndMakesNoAccount()
    {
        ldap.AddUser("wrongpw", "Wrong Password");

        var answer = await DirectoryScenario.AuthAsync(portal, "wrongpw@corp", "Not-The-Passw0rd");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("Invalid user name or password.", answer.ErrorMessage);
        await using var db = portal.NewDb();
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "wrongpw"));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.Login && !e.Success && e.TargetUser == "wrongpw" && e.Message.Contains("wrong password")));
    }

    [Fact]
    public async Task Auth_FiveWrongDirectoryPasswords_ThrottleThisAddressWith429AndNeverLockTheUser()
    {
        ldap.AddUser("lockme", "Lock Me");
        for (var i = 0; i < 5; i++)
        {
            await SendFromAsync("10.20.30.40", "lockme@corp", "Not-The-Passw0rd");
        }

        var attackerAgain = await SendFromAsync("10.20.30.40", "lockme@corp", OpenLdapServer.UserPassword);
        var ownerElsewhere = await SendFromAsync("10.20.30.41", "lockme@corp", OpenLdapServer.UserPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, attackerAgain.Status);
        Assert.NotNull(attackerAgain.Response.Headers.RetryAfter);
        Assert.True(ownerElsewhere.Status == HttpStatusCode.OK, ownerElsewhere.ToString());
        await using var db = portal.NewDb();
        Assert.Null((await db.Users.SingleAsync(u => u.UserName == "lockme")).LockoutEnd);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.LoginThrottled && e.TargetUser == "lockme@corp"));
    }

    [Fact]
    public async Task Auth_DirectoryUserLockedByAdmin_RightPasswordIs401SayingLocked()
    {
        ldap.AddUser("adminlocked", "Admin Locked");
        Assert.Equal(HttpStatusCode.OK, (await DirectoryScenario.AuthAsync(portal, "adminlocked@corp", OpenLdapServer.UserPassword)).Status);
        await using (var db = portal.NewDb())
        {
            var shadow = await db.Users.SingleAsync(u => u.UserName == "adminlocked");
            shadow.LockoutEnd = DateTimeOffset.MaxValue;
            await db.SaveChangesAsync();
        }

        var wrong = await DirectoryScenario.AuthAsync(portal, "adminlocked@corp", "Not-The-Passw0rd");
        var right = await DirectoryScenario.AuthAsync(portal, "adminlocked@corp", OpenLdapServer.UserPassword);

        Assert.Equal("Invalid user name or password.", wrong.ErrorMessage);
        Assert.Equal(HttpStatusCode.Unauthorized, right.Status);
        Assert.Contains("locked", right.ErrorMessage);
    }

    [Fact]
    public async Task Auth_UnknownUser_Is401WithTheSameWordsAndNoAccountIsMade()
    {
        var answer = await DirectoryScenario.AuthAsync(portal, "nobody@corp", OpenLdapServer.UserPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("Invalid user name or password.", answer.ErrorMessage);
        await using var db = portal.NewDb();
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "nobody"));
    }

    [Fact]
    public async Task Auth_EmptyPasswordOfDirectoryUser_IsRefusedNotAnAnonymousBind()
    {
        var answer = await ApiClient.Anonymous(portal).PostFormAsync("/auth", ("username", "alice@corp"), ("password", ""));

        // privacyIDEA's answer to a missing password: 401 with its number 4032, and no token.
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal(4032, answer.ErrorCode);
        Assert.False(answer.Body.Contains("\"token\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Auth_LocalAdmin_StillLogsInWithItsPortalPassword()
    {
        var answer = await DirectoryScenario.AuthAsync(portal, "admin", PortalFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("admin", answer.Value.GetProperty("role").GetString());
    }

    [Fact]
    public async Task BrowserLogin_DirectoryUser_GetsCookieAndReachesTheTokenPage()
    {
        var client = portal.CreateNonRedirectingClient();

        var response = await client.PostLoginAsync("bob@corp", OpenLdapServer.UserPassword, "/my");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/my", response.Headers.Location!.OriginalString);
        var page = await client.GetPageAsync("/my");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task BrowserLogin_WrongDirectoryPassword_RedirectsToLoginWithInvalid()
    {
        var response = await portal.CreateNonRedirectingClient().PostLoginAsync("bob@corp", "Not-The-Passw0rd");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("error=invalid", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Auth_UserRemovedFromDirectory_CannotLogInAndTheirJwtStops()
    {
        ldap.AddUser("leaver", "Lea Ver");
        var before = await DirectoryScenario.AuthAsync(portal, "leaver@corp", OpenLdapServer.UserPassword);
        Assert.True(before.Status == HttpStatusCode.OK, before.ToString());
        var session = DirectoryScenario.Session(portal, before);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/token/")).Status);

        ldap.Modify($"dn: uid=leaver,{OpenLdapServer.People}\nchangetype: delete\n");

        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/token/")).Status);
        var after = await DirectoryScenario.AuthAsync(portal, "leaver@corp", OpenLdapServer.UserPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
        await using var db = portal.NewDb();
        Assert.True((await db.Users.SingleAsync(u => u.UserName == "leaver")).LockoutEnd > DateTimeOffset.UtcNow.AddYears(100));
    }

    [Fact]
    public async Task Auth_DirectoryDown_Is503NamingTheDirectoryWithinTheTimeoutAndLocalAdminStillWorks()
    {
        using var down = new ClosedPort();
        await DirectoryScenario.ConnectAsync(_admin, ldap, realm: "gone", resolver: "gone-ldap", uri: $"ldap://127.0.0.1:{down.Port}");

        var watch = Stopwatch.StartNew();
        var answer = await DirectoryScenario.AuthAsync(portal, "alice@gone", OpenLdapServer.UserPassword);
        watch.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.Equal(503, answer.ErrorCode);
        Assert.Contains("gone-ldap", answer.ErrorMessage);
        Assert.Contains("cannot be reached", answer.ErrorMessage);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(7), $"took {watch.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, (await DirectoryScenario.AuthAsync(portal, "admin", PortalFactory.AdminPassword)).Status);
    }

    private Task<ApiAnswer> SendFromAsync(string address, string user, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth")
        {
            Content = new FormUrlEncodedContent([new("username", user), new("password", password)]),
        };
        request.Headers.Add(TestClientAddress.Header, address);
        return ApiClient.Anonymous(portal).SendAsync(request);
    }
}
