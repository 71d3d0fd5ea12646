using System.Reflection;
using AngleSharp.Dom;
using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UsersPage = CertTokenPortal.Components.Pages.Users.Users;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages.Users;

[Trait("Category", "Component")]
public sealed class UsersTests : PortalComponentTest
{
    private const string Password = "Str0ng-Passw0rd!";

    public override async Task InitializeAsync()
    {
        await UseCoreAsync(new Dictionary<string, string?> { ["Portal:DefaultRealm"] = "corp" });
        await ArrangeUserAsync("hanna", PortalRoles.Helpdesk);
        await ArrangeUserAsync("uwe", PortalRoles.User);
    }

    [Fact]
    public void Users_AuthorizeAttribute_IsTheViewUsersPolicy()
    {
        var policies = typeof(UsersPage).GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy);

        Assert.Contains(RolePermissions.PolicyName(Permission.ViewUsers), policies);
    }

    [Fact]
    public void Render_Admin_ListsUsersWithCreateAndRowActions()
    {
        LogInAs(PortalRoles.Admin);

        var cut = RenderWithProviders<UsersPage>();

        cut.WaitForAssertion(() => Assert.Equal(["admin", "hanna", "uwe"], Names(cut)), Patience);
        Assert.Equal(["admin", "helpdesk", "user"], cut.FindAll("[data-testid=user-role]").Select(e => e.TextContent.Trim()));
        Assert.NotEmpty(cut.FindAll("[data-testid=user-create]"));
        foreach (var name in new[] { "admin", "hanna", "uwe" })
        {
            Assert.NotEmpty(cut.FindAll($"[data-testid=user-change-role-{name}]"));
            Assert.NotEmpty(cut.FindAll($"[data-testid=user-reset-{name}]"));
            Assert.NotEmpty(cut.FindAll($"[data-testid=user-lock-{name}]"));
        }
    }

    [Fact]
    public void Render_Helpdesk_ListsUsersReadOnly()
    {
        LogInAs(PortalRoles.Helpdesk, "hanna");

        var cut = RenderWithProviders<UsersPage>();

        cut.WaitForAssertion(() => Assert.Equal(["admin", "hanna", "uwe"], Names(cut)), Patience);
        Assert.Empty(cut.FindAll("[data-testid=user-create]"));
        Assert.Empty(cut.FindAll("[data-testid^=user-change-role-], [data-testid^=user-reset-], [data-testid^=user-lock-], [data-testid^=user-unlock-]"));
    }

    [Fact]
    public void Render_EndUserPastTheRouter_ShowsCoreRefusalAsMessage()
    {
        // The router keeps end users out; should the page render anyway, Core still refuses and the page says so.
        LogInAs(PortalRoles.User, "uwe");

        var cut = RenderWithProviders<UsersPage>();

        cut.WaitForAssertion(() => Assert.Contains("Only admins and helpdesk staff may list users.", cut.Find("[data-testid=users-load-error]").TextContent), Patience);
        Assert.Empty(Names(cut));
        Assert.Contains("Only admins and helpdesk staff may list users.", Snackbar(cut).TextContent);
    }

    [Fact]
    public void Search_NoMatch_ShowsEmptyState()
    {
        LogInAs(PortalRoles.Helpdesk, "hanna");
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, Names(cut).Count), Patience);

        cut.Find("[data-testid=users-search]").Input("nobody-by-this-name");

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=users-empty]")), Patience);
        Assert.Empty(Names(cut));
    }

    [Fact]
    public void Search_PartOfName_ShowsMatchesOnly()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, Names(cut).Count), Patience);

        cut.Find("[data-testid=users-search]").Input("ANN");

        cut.WaitForAssertion(() => Assert.Equal(["hanna"], Names(cut)), Patience);
    }

    [Fact]
    public void RoleFilter_Helpdesk_ShowsHelpdeskOnly()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, Names(cut).Count), Patience);

        cut.Find(".mud-select [data-testid=users-role-filter]").ParentElement!.ParentElement!.MouseDown();
        cut.WaitForElement(".mud-popover-open .mud-list-item", Patience);
        cut.FindAll(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == PortalRoles.Helpdesk).Click();

        cut.WaitForAssertion(() => Assert.Equal(["hanna"], Names(cut)), Patience);
    }

    [Fact]
    public async Task Create_ValidInput_SavesUserListsItAndSaysSo()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, Names(cut).Count), Patience);

        cut.Find("[data-testid=user-create]").Click();
        cut.WaitForElement("[data-testid=create-submit]", Patience);
        Assert.Equal("corp", cut.Find("[data-testid=create-realm]").GetAttribute("value"));
        cut.Find("[data-testid=create-username]").Change("bea");
        cut.Find("[data-testid=create-email]").Change("bea@example.org");
        cut.Find("[data-testid=create-role-helpdesk]").Click();
        cut.Find("[data-testid=create-password]").Change(Password);
        cut.Find("[data-testid=create-confirmation]").Change(Password);
        cut.Find("[data-testid=create-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["admin", "bea", "hanna", "uwe"], Names(cut)), Patience);
        Assert.Empty(cut.FindAll("[data-testid=create-submit]"));
        Assert.Contains("User bea created.", Snackbar(cut).TextContent);
        var saved = await FindUserAsync("bea");
        Assert.Equal(("corp", "bea@example.org"), (saved?.Realm, saved?.Email));
        Assert.Equal([PortalRoles.Helpdesk], await RolesAsync("bea"));
    }

    [Fact]
    public async Task Create_PasswordsDiffer_SaysSoKeepsDialogAndSavesNothing()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, Names(cut).Count), Patience);

        cut.Find("[data-testid=user-create]").Click();
        cut.WaitForElement("[data-testid=create-submit]", Patience);
        cut.Find("[data-testid=create-username]").Change("bea");
        cut.Find("[data-testid=create-password]").Change(Password);
        cut.Find("[data-testid=create-confirmation]").Change(Password + "x");
        cut.Find("[data-testid=create-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("The two passwords differ.", cut.Find("[data-testid=create-user-dialog]").TextContent), Patience);
        Assert.NotEmpty(cut.FindAll("[data-testid=create-submit]"));
        Assert.Null(await FindUserAsync("bea"));
    }

    [Fact]
    public async Task Create_DuplicateName_ShowsCoreMessageInDialogKeepsItAndSavesNothing()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, Names(cut).Count), Patience);
        var before = await UserCountAsync();

        cut.Find("[data-testid=user-create]").Click();
        cut.WaitForElement("[data-testid=create-submit]", Patience);
        cut.Find("[data-testid=create-username]").Change("hanna");
        cut.Find("[data-testid=create-password]").Change(Password);
        cut.Find("[data-testid=create-confirmation]").Change(Password);
        cut.Find("[data-testid=create-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("A user named 'hanna' already exists.", cut.Find("[data-testid=create-problem]").TextContent), Patience);
        Assert.Empty(cut.FindAll(".mud-snackbar"));
        Assert.NotEmpty(cut.FindAll("[data-testid=create-submit]"));
        Assert.Equal(before, await UserCountAsync());
    }

    [Fact]
    public async Task Lock_ThenUnlock_ChangesStatusAndLogin()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, Names(cut).Count), Patience);

        cut.Find("[data-testid=user-lock-uwe]").Click();

        cut.WaitForAssertion(() => Assert.Equal("locked", Status(cut, "uwe")), Patience);
        Assert.Contains("uwe is locked.", Snackbar(cut).TextContent);
        Assert.True(await IsLockedOutAsync("uwe"));

        cut.Find("[data-testid=user-unlock-uwe]").Click();

        cut.WaitForAssertion(() => Assert.Equal("active", Status(cut, "uwe")), Patience);
        Assert.False(await IsLockedOutAsync("uwe"));
    }

    [Fact]
    public async Task Lock_OwnAccount_ShowsCoreRefusalAndStaysActive()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, Names(cut).Count), Patience);

        cut.Find("[data-testid=user-lock-admin]").Click();

        cut.WaitForAssertion(() => Assert.Contains("You cannot lock your own account.", Snackbar(cut).TextContent), Patience);
        Assert.Equal("active", Status(cut, "admin"));
        Assert.False(await IsLockedOutAsync("admin"));
    }

    [Fact]
    public async Task ChangeRole_ToAdmin_SavesAndUpdatesRow()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, Names(cut).Count), Patience);

        cut.Find("[data-testid=user-change-role-uwe]").Click();
        cut.WaitForElement("[data-testid=change-role-submit]", Patience);
        cut.Find("[data-testid=change-role-admin]").Click();
        cut.Find("[data-testid=change-role-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["admin", "helpdesk", "admin"], cut.FindAll("[data-testid=user-role]").Select(e => e.TextContent.Trim())), Patience);
        Assert.Contains("uwe is now admin.", Snackbar(cut).TextContent);
        Assert.Equal([PortalRoles.Admin], await RolesAsync("uwe"));
    }

    [Fact]
    public async Task ResetPassword_MatchingStrongPassword_ReplacesPassword()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, Names(cut).Count), Patience);

        cut.Find("[data-testid=user-reset-uwe]").Click();
        cut.WaitForElement("[data-testid=reset-submit]", Patience);
        cut.Find("[data-testid=reset-password]").Change("N3w-Passw0rd!");
        cut.Find("[data-testid=reset-confirmation]").Change("N3w-Passw0rd!");
        cut.Find("[data-testid=reset-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Password of uwe reset.", Snackbar(cut).TextContent), Patience);
        Assert.Empty(cut.FindAll("[data-testid=reset-submit]"));
        Assert.True(await PasswordWorksAsync("uwe", "N3w-Passw0rd!"));
    }

    [Fact]
    public async Task ResetPassword_WeakPassword_ShowsRulesKeepsDialogAndOldPassword()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<UsersPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, Names(cut).Count), Patience);

        cut.Find("[data-testid=user-reset-uwe]").Click();
        cut.WaitForElement("[data-testid=reset-submit]", Patience);
        cut.Find("[data-testid=reset-password]").Change("weakweak");
        cut.Find("[data-testid=reset-confirmation]").Change("weakweak");
        cut.Find("[data-testid=reset-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Passwords must", cut.Find("[data-testid=reset-problem]").TextContent), Patience);
        Assert.Empty(cut.FindAll(".mud-snackbar"));
        Assert.NotEmpty(cut.FindAll("[data-testid=reset-submit]"));
        Assert.True(await PasswordWorksAsync("uwe", Password));
    }

    private static List<string> Names(IRenderedComponent<ContainerFragment> cut) =>
        cut.FindAll("[data-testid=user-name]").Select(e => e.TextContent.Trim()).ToList();

    private static string Status(IRenderedComponent<ContainerFragment> cut, string name) =>
        cut.FindAll("tr").Single(row => row.QuerySelector("[data-testid=user-name]")?.TextContent.Trim() == name)
            .QuerySelector("[data-testid=user-status]")!.TextContent.Trim();

    private static IElement Snackbar(IRenderedComponent<ContainerFragment> cut) => cut.Find(".mud-snackbar");

    private async Task ArrangeUserAsync(string name, string role)
    {
        var result = await Core.InScopeAsync(sp => sp.GetRequiredService<CreateUserCommand>()
            .ExecuteAsync(Actor.System, new NewUser(name, Password, null, null, role)));
        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    private async Task<int> UserCountAsync()
    {
        await using var db = Core.NewDb();
        return await db.Users.CountAsync();
    }

    private async Task<PortalUser?> FindUserAsync(string name)
    {
        await using var db = Core.NewDb();
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == name);
    }

    private Task<T> WithUserAsync<T>(string name, Func<UserManager<PortalUser>, PortalUser, Task<T>> read) =>
        Core.InScopeAsync(async sp =>
        {
            var manager = sp.GetRequiredService<UserManager<PortalUser>>();
            return await read(manager, (await manager.FindByNameAsync(name))!);
        });

    private Task<IList<string>> RolesAsync(string name) => WithUserAsync(name, (m, u) => m.GetRolesAsync(u));

    private Task<bool> PasswordWorksAsync(string name, string password) => WithUserAsync(name, (m, u) => m.CheckPasswordAsync(u, password));

    private Task<bool> IsLockedOutAsync(string name) => WithUserAsync(name, (m, u) => m.IsLockedOutAsync(u));
}
