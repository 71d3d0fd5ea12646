using System.Net;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Authentication;

/// <summary>
/// A logged-in user opening a page their role does not allow, by its address: the server answers with the
/// access-denied page, not with the login page (which would send them straight back, in a loop).
/// </summary>
[Trait("Category", "Api")]
public sealed class AccessDeniedTests(AccessDeniedTests.Portal portal) : IClassFixture<AccessDeniedTests.Portal>
{
    public sealed class Portal : PortalFactory, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            await this.CreateUserAsync("plainuser", PortalRoles.User);
            await this.CreateUserAsync("helpdesker", PortalRoles.Helpdesk);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Theory]
    [InlineData("/tokens")]
    [InlineData("/cas")]
    [InlineData("/cas/localCA")]
    [InlineData("/audit")]
    [InlineData("/users")]
    [InlineData("/policies")]
    [InlineData("/pending")]
    public async Task GetPage_EndUserWithoutTheRole_RedirectsToAccessDeniedPage(string path)
    {
        var client = portal.CreateNonRedirectingClient();
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostLoginAsync("plainuser", PortalUsers.Password)).StatusCode);

        var response = await client.GetPageAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/access-denied", response.Headers.Location!.AbsolutePath);
        var page = await client.GetPageAsync(response.Headers.Location.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-testid=\"access-denied\"", await page.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("admin", PortalFactory.AdminPassword, "/cas", "cas-title")]
    [InlineData("helpdesker", PortalUsers.Password, "/tokens", "tokens-title")]
    public async Task GetPage_StaffWithTheRole_RendersIt(string user, string password, string path, string marker)
    {
        var client = portal.CreateNonRedirectingClient();
        await client.PostLoginAsync(user, password);

        var response = await client.GetPageAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"data-testid=\"{marker}\"", await response.Content.ReadAsStringAsync());
    }
}
