using System.Net;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Authentication;

/// <summary>A full page load of a page the role may not open ends on a notice, not in a redirect loop with the login page.</summary>
public sealed class AccessDeniedTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("/tokens")]
    [InlineData("/users")]
    public async Task GetPage_RoleWithoutRight_RedirectsToTheAccessDeniedNotice(string path)
    {
        var user = "u" + Guid.NewGuid().ToString("N")[..8];
        await portal.CreateUserAsync(user, PortalRoles.User);
        using var client = portal.CreateNonRedirectingClient();
        using var login = await client.PostLoginAsync(user, PortalUsers.Password, "/my");
        Assert.Equal("/my", login.Headers.Location?.OriginalString);

        using var response = await client.GetPageAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/access-denied", response.Headers.Location!.AbsolutePath);
        using var notice = await client.GetPageAsync(response.Headers.Location.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, notice.StatusCode);
        Assert.Contains("data-testid=\"access-denied\"", await notice.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetPage_StaffWithTheRight_OpensTheTokenGrid()
    {
        var helpdesk = "h" + Guid.NewGuid().ToString("N")[..8];
        await portal.CreateUserAsync(helpdesk, PortalRoles.Helpdesk);
        using var client = portal.CreateNonRedirectingClient();
        using var login = await client.PostLoginAsync(helpdesk, PortalUsers.Password, "/tokens");

        using var response = await client.GetPageAsync("/tokens");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"tokens-title\"", await response.Content.ReadAsStringAsync());
    }
}
