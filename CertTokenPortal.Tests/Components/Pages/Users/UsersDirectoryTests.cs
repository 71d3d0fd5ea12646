using AngleSharp.Dom;
using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users;
using CertTokenPortal.Tests.Infrastructure;
using UsersPage = CertTokenPortal.Components.Pages.Users.Users;
using ChangePasswordPage = CertTokenPortal.Components.Pages.Account.ChangePassword;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages.Users;

/// <summary>The Users page and "change my password" with a realm served by the real test slapd.</summary>
[Trait("Category", "Component")]
[Collection(OpenLdapCollection.Name)]
public sealed class UsersDirectoryTests(OpenLdapServer ldap) : PortalComponentTest
{
    public override async Task InitializeAsync()
    {
        await UseCoreAsync();
        await DirectoryScenario.ConnectAsync(Core, ldap);
    }

    [Fact]
    public void RealmChosen_DirectoryRealm_ListsDirectoryUsersWithSourceDisplayNameAndEnrolLink()
    {
        LogInAs(PortalRoles.Helpdesk, "hanna");
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForElement("[data-testid=user-name]", Patience);

        ChooseRealm(cut, DirectoryScenario.Realm);
        cut.Find("input[data-testid=users-search]").Input("alice");

        cut.WaitForAssertion(() => Assert.Equal(["alice"], cut.FindAll("[data-testid=user-name]").Select(e => e.TextContent.Trim())), Patience);
        Assert.Equal(DirectoryScenario.Resolver, cut.Find("[data-testid=user-source]").TextContent.Trim());
        Assert.Equal("Alice Archer", cut.Find("[data-testid=user-displayname]").TextContent.Trim());
        Assert.Equal("enrol?user=alice&realm=corp", cut.Find("[data-testid=user-enrol-alice]").GetAttribute("href"));
    }

    [Fact]
    public void RealmChosen_ThousandUsers_OffersANextPage()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForElement("[data-testid=user-name]", Patience);

        ChooseRealm(cut, DirectoryScenario.Realm);

        cut.WaitForAssertion(() => Assert.Equal(25, cut.FindAll("[data-testid=user-name]").Count), Patience);
        // A directory knows no total: the page offers one more page while it has more users.
        Assert.Contains(cut.FindAll(".mud-table-pagination-actions button"), b => b.GetAttribute("aria-label") == "Next page" && !b.HasAttribute("disabled"));
    }

    [Fact]
    public async Task ChangePassword_DirectoryUser_SaysTheDirectoryHoldsItAndOffersNoForm()
    {
        Assert.True((await Core.InScopeAsync(sp => DirectoryScenario.RecordAsync(sp, "bob"))).IsSuccess);
        LogInAs(PortalRoles.User, "bob", DirectoryScenario.Realm);

        var cut = RenderWithProviders<ChangePasswordPage>();

        cut.WaitForAssertion(() => Assert.StartsWith("Your password is managed by the directory of realm 'corp'",
            cut.Find("[data-testid=password-directory]").TextContent.Trim()), Patience);
        Assert.Empty(cut.FindAll("[data-testid=password-submit]"));
    }

    private static void ChooseRealm(IRenderedComponent<ContainerFragment> cut, string realm)
    {
        cut.Find(".mud-select [data-testid=users-realm]").ParentElement!.ParentElement!.MouseDown();
        cut.WaitForElement(".mud-popover-open .mud-list-item", Patience);
        cut.FindAll(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == realm).Click();
    }
}
