using System.Net;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Authentication;

/// <summary>
/// A logged-in user opening a page their role does not allow, by its address: the server answers with the
/// access-denied page, not with the login page (which would send them straight back, in a loop).
/// </summary>
public sealed class AccessDeniedTests(AccessDeniedTests.Portal portal) : IClassFixture<AccessDeniedTests.Portal>
{
    public sealed class Portal : PortalFactory, IAsyncLifetime
    {
        public Task InitializeAsync() => this.CreateUserAsync("plainuser", PortalRoles.User);

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Theory]
    [InlineData("/cas")]
    [InlineData("/cas/localCA")]
    [InlineData("/audit")]
    [InlineData("/users")]
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

    [Fact]
    public async Task GetPage_AdminWithTheRole_RendersIt()
    {
        var client = portal.CreateNonRedirectingClient();
        await client.PostLoginAsync("admin", PortalFactory.AdminPassword);

        var response = await client.GetPageAsync("/cas");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"cas-title\"", await response.Content.ReadAsStringAsync());
    }
}
