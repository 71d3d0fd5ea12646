using System.Reflection;
using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Components.Pages.Users;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;
using UserDetails = CertTokenPortal.Components.Pages.Users.UserDetails;

namespace CertTokenPortal.Tests.Components.Pages.Users;

/// <summary>The user page: who the user is, their tokens, and "Enrol for this user" with the owner in the address.</summary>
[Trait("Category", "Component")]
public sealed class UserDetailsTests : PortalComponentTest
{
    public override async Task InitializeAsync()
    {
        await UseCoreAsync();
        await Core.CreateUserAsync("alice");
        await Core.CreateUserAsync("bob");
        await Core.CreateUserAsync("root2", PortalRoles.Admin);
    }

    [Fact]
    public void UserDetails_AuthorizeAttribute_IsTheViewUsersPolicy()
    {
        var policies = typeof(UserDetails).GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy);

        Assert.Contains(RolePermissions.PolicyName(Permission.ViewUsers), policies);
    }

    [Fact]
    public async Task Render_Helpdesk_ShowsTheUsersTokensOnlyAndEnrolsWithTheOwnerSet()
    {
        var mine = await Core.EnrolCsrAsync("alice", "alice");
        await Core.EnrolCsrAsync("bob", "bob");
        LogInAs(PortalRoles.Helpdesk);

        var cut = Render("default", "alice");

        cut.WaitForAssertion(() => Assert.Equal([mine.Serial], cut.FindAll("[data-testid=user-token-serial]").Select(e => e.TextContent.Trim())), Patience);
        Assert.Equal("alice", cut.Find("[data-testid=user-page-title]").TextContent.Trim());
        Assert.Contains("portal account", cut.Find("[data-testid=user-page-about]").TextContent);
        Assert.Equal("enrol?user=alice&realm=default", cut.Find("[data-testid=user-page-enrol]").GetAttribute("href"));
        Assert.Equal($"Revoke {mine.Serial}", cut.Find($"[data-testid=user-token-revoke-{mine.Serial}]").GetAttribute("aria-label"));
    }

    [Fact]
    public void Render_HelpdeskOnAnAdmin_EnrolIsDisabledAndSaysWhy()
    {
        LogInAs(PortalRoles.Helpdesk);

        var cut = Render("default", "root2");

        cut.WaitForElement("[data-testid=user-page-no-tokens]", Patience);
        Assert.Equal("Only admins enrol for an admin.", cut.Find("[data-testid=user-page-enrol-refused]").TextContent.Trim());
        Assert.True(cut.Find("[data-testid=user-page-enrol]").HasAttribute("disabled"));
    }

    [Theory]
    [InlineData("default", "nobody", "There is no user 'nobody' in realm 'default'.")]
    [InlineData("elsewhere", "alice", "There is no user 'alice' in realm 'elsewhere'.")]
    public void Render_UnknownUserOrRealm_SaysSo(string realm, string name, string message)
    {
        LogInAs(PortalRoles.Admin);

        var cut = Render(realm, name);

        cut.WaitForAssertion(() => Assert.Equal(message, cut.Find("[data-testid=user-page-error]").TextContent.Trim()), Patience);
        Assert.Empty(cut.FindAll("[data-testid=user-page-enrol]"));
    }

    [Fact]
    public async Task FindUser_User_IsRefusedBeforeAnyLookup()
    {
        var result = await Core.InScopeAsync(sp => sp.GetRequiredService<FindUserQuery>()
            .ExecuteAsync(new Actor("alice", "default", PortalRoles.User, null), "bob", "default"));

        Assert.Equal(UserErrors.NotAllowedToLookUp, result.Error);
    }

    private IRenderedComponent<ContainerFragment> Render(string realm, string userName) =>
        RenderWithProviders<UserDetails>(new Dictionary<string, object?>
        {
            [nameof(UserDetails.Realm)] = realm,
            [nameof(UserDetails.UserName)] = userName,
        });
}
