using System.Net;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Authentication;

/// <summary>The cookie login through HTTP, as the login page's form posts it. One portal per class, one user per test.</summary>
[Trait("Category", "Api")]
public sealed class LoginEndpointsTests(LoginEndpointsTests.LockoutAfterThree portal) : IClassFixture<LoginEndpointsTests.LockoutAfterThree>
{
    private const string Password = "Us3r-Passw0rd!";

    /// <summary>The portal with a small lockout threshold, so that the lockout test needs few attempts.</summary>
    public sealed class LockoutAfterThree() : PortalFactory(new Dictionary<string, string?> { ["Portal:Lockout:MaxFailedAttempts"] = "3" });

    [Theory]
    [InlineData("/")]
    [InlineData("/users")]
    public async Task GetPage_Anonymous_RedirectsToLoginWithReturnUrl(string path)
    {
        using var client = portal.CreateNonRedirectingClient();

        using var response = await client.GetPageAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("/login", location.AbsolutePath);
        Assert.Equal(path, QueryHelpers.ParseQuery(location.Query)["ReturnUrl"].ToString());
    }

    [Fact]
    public async Task GetPage_AnonymousWithoutHtmlAccept_Returns401()
    {
        using var client = portal.CreateNonRedirectingClient();

        using var response = await client.GetAsync("/users");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PostLogin_WrongPassword_RedirectsWithInvalidAndAudits()
    {
        var user = await ArrangeUserAsync();
        using var client = portal.CreateNonRedirectingClient();

        using var response = await client.PostLoginAsync(user, "Wrong-Passw0rd!", "/users");

        AssertLoginError(response, "invalid");
        Assert.False(SetsAuthCookie(response));
        var entry = Assert.Single(await LoginAuditAsync(user));
        Assert.False(entry.Success);
    }

    [Fact]
    public async Task PostLogin_UnknownUser_GivesTheSameAnswerAsAWrongPassword()
    {
        using var client = portal.CreateNonRedirectingClient();

        using var response = await client.PostLoginAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], Password);

        AssertLoginError(response, "invalid");
    }

    [Fact]
    public async Task PostLogin_RightPassword_SetsCookieRedirectsBackAndOpensPages()
    {
        var user = await ArrangeUserAsync(PortalRoles.Helpdesk);
        using var client = portal.CreateNonRedirectingClient();

        using var response = await client.PostLoginAsync(user, Password, "/users");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/users", response.Headers.Location!.OriginalString);
        Assert.True(SetsAuthCookie(response));
        Assert.True(Assert.Single(await LoginAuditAsync(user)).Success);
        using var page = await client.GetPageAsync("/users");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\t/evil.example")]
    [InlineData("/%09/evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/%5C%5Cevil.example")]
    public async Task PostLogin_OffSiteReturnUrl_RedirectsToStartPage(string returnUrl)
    {
        var user = await ArrangeUserAsync();
        using var client = portal.CreateNonRedirectingClient();

        using var response = await client.PostLoginAsync(user, Password, returnUrl);

        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task PostLogin_AfterMaxFailedAttempts_MakesThisAddressWaitEvenWithTheRightPassword()
    {
        var user = await ArrangeUserAsync();
        using var client = portal.CreateNonRedirectingClient();

        for (var attempt = 1; attempt < 3; attempt++)
        {
            using var failed = await client.PostLoginAsync(user, "Wrong-Passw0rd!");
            AssertLoginError(failed, "invalid");
        }
        using var third = await client.PostLoginAsync(user, "Wrong-Passw0rd!");
        using var right = await client.PostLoginAsync(user, Password);

        AssertLoginError(right, "throttled");
        Assert.False(SetsAuthCookie(right));
        var entries = await LoginAuditAsync(user);
        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.False(e.Success));
        // The account itself is not locked: failures from one address cannot lock its owner out elsewhere.
        await using var db = portal.NewDb();
        Assert.Null((await db.Users.SingleAsync(u => u.UserName == user)).LockoutEnd);
    }

    [Fact]
    public async Task PostLogin_LockedByAdmin_IsRefusedAsLocked()
    {
        var user = await ArrangeUserAsync();
        var locked = await InScopeAsync(sp => sp.GetRequiredService<SetUserLockedCommand>().ExecuteAsync(Actor.System, user, true));
        Assert.True(locked.IsSuccess, locked.Error?.Message);
        using var client = portal.CreateNonRedirectingClient();

        using var response = await client.PostLoginAsync(user, Password);

        AssertLoginError(response, "locked");
    }

    [Fact]
    public async Task PostLogout_LoggedIn_EndsTheSessionAndAudits()
    {
        var user = await ArrangeUserAsync(PortalRoles.Admin);
        using var client = portal.CreateNonRedirectingClient();
        using var login = await client.PostLoginAsync(user, Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        using var logout = await client.PostLogoutAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal("/login", logout.Headers.Location!.OriginalString);
        using var page = await client.GetPageAsync("/users");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        await using var db = portal.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.Logout && e.UserName == user && e.Success));
    }

    private static bool SetsAuthCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("CertTokenPortal.Auth="));

    private static void AssertLoginError(HttpResponseMessage response, string error)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith("/login?", location.OriginalString);
        Assert.Equal(error, QueryHelpers.ParseQuery(new Uri(new Uri("http://x"), location).Query)["error"].ToString());
    }

    private async Task<string> ArrangeUserAsync(string role = PortalRoles.User)
    {
        var name = "u" + Guid.NewGuid().ToString("N")[..10];
        var created = await InScopeAsync(sp => sp.GetRequiredService<CreateUserCommand>()
            .ExecuteAsync(Actor.System, new NewUser(name, Password, null, null, role)));
        Assert.True(created.IsSuccess, created.Error?.Message);
        return name;
    }

    private async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        _ = portal.Server; // starts the portal
        await using var scope = portal.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    private async Task<List<AuditEntry>> LoginAuditAsync(string user)
    {
        await using var db = portal.NewDb();
        return await db.AuditEntries.Where(e => e.Action == AuditActions.Login && e.TargetUser == user).OrderBy(e => e.Id).ToListAsync();
    }
}
