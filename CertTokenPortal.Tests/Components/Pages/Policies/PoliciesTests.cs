using System.Reflection;
using AngleSharp.Dom;
using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Core.Attestation;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PoliciesPage = CertTokenPortal.Components.Pages.Policies.Policies;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages.Policies;

[Trait("Category", "Component")]
public sealed class PoliciesTests : PortalComponentTest
{

    public override async Task InitializeAsync()
    {
        await UseCoreAsync();
        await ArrangePolicyAsync(new PolicyRequest("staff-ca", "certificate_ca_connector=localCA") { Roles = "helpdesk,admin", Priority = 2 });
        await ArrangePolicyAsync(new PolicyRequest("quota", "max_token_per_user=3, user_may_revoke=false") { Realms = "default", Active = false });
    }

    [Fact]
    public void Policies_AuthorizeAttribute_IsTheViewPoliciesPolicy()
    {
        var policies = typeof(PoliciesPage).GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy);

        Assert.Contains(RolePermissions.PolicyName(Permission.ViewPolicies), policies);
    }

    [Fact]
    public void Render_Admin_ListsPoliciesStrongestFirstWithExplanationsAndButtons()
    {
        LogInAs(PortalRoles.Admin);

        var cut = RenderWithProviders<PoliciesPage>();

        cut.WaitForAssertion(() => Assert.Equal(["quota", "staff-ca"], Names(cut)), Patience);
        Assert.Equal("certificate_ca_connector=localCA", cut.Find("[data-testid=policy-action-staff-ca]").TextContent);
        Assert.Contains("The CA 'localCA' is required by policy 'staff-ca'.", cut.Markup);
        Assert.Contains("Roles: helpdesk, admin", cut.Find("[data-testid=policy-scope-staff-ca]").TextContent);
        Assert.Contains("Realms: default", cut.Find("[data-testid=policy-scope-quota]").TextContent);
        Assert.NotEmpty(cut.FindAll("[data-testid=policy-inactive-quota]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=policy-create]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=policy-edit-staff-ca]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=policy-delete-quota]"));
    }

    [Fact]
    public void Render_Helpdesk_ListsPoliciesReadOnly()
    {
        LogInAs(PortalRoles.Helpdesk);

        var cut = RenderWithProviders<PoliciesPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, Names(cut).Count), Patience);
        Assert.Empty(cut.FindAll("[data-testid=policy-create], [data-testid^=policy-edit-], [data-testid^=policy-delete-]"));
    }

    [Fact]
    public void Render_EndUserPastTheRouter_ShowsCoreRefusal()
    {
        LogInAs(PortalRoles.User);

        var cut = RenderWithProviders<PoliciesPage>();

        cut.WaitForAssertion(() => Assert.Contains("Only admins and helpdesk staff may view policies.", cut.Find("[data-testid=policies-load-error]").TextContent), Patience);
        Assert.Empty(Names(cut));
    }

    [Fact]
    public async Task Create_ValidPolicy_IsSavedListedAndAudited()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<PoliciesPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Names(cut).Count), Patience);

        cut.Find("[data-testid=policy-create]").Click();
        cut.WaitForElement("[data-testid=policy-submit]", Patience);
        cut.Find("[data-testid=policy-field-name]").Change("keys");
        cut.Find("[data-testid=policy-field-priority]").Change("5");
        cut.Find("[data-testid=policy-free-text]").Change(true);
        cut.WaitForElement("[data-testid=policy-field-action]", Patience).Change("key_rules=rsa>=3072 ec:P-256,P-384");
        cut.Find("[data-testid=policy-field-realms]").Change("default, lab");
        cut.Find("[data-testid=policy-field-role-user]").Change(true);
        cut.Find("[data-testid=policy-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["quota", "staff-ca", "keys"], Names(cut)), Patience);
        Assert.Empty(cut.FindAll("[data-testid=policy-dialog]"));
        Assert.Contains("Policy keys saved.", Snackbar(cut).TextContent);
        await using var db = Core.NewDb();
        var saved = await db.Policies.SingleAsync(p => p.Name == "keys");
        Assert.Equal(("key_rules='rsa>=3072 ec:P-256,P-384'", 5, "user", "default,lab", true),
            (saved.Action, saved.Priority, saved.Roles, saved.Realms, saved.Active));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.PolicySet && e.Success && e.UserName == "admin"));
    }

    [Fact]
    public async Task Create_ContradictoryPolicy_ShowsCoresMessageKeepsDialogAndSavesNothing()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<PoliciesPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Names(cut).Count), Patience);

        cut.Find("[data-testid=policy-create]").Click();
        cut.WaitForElement("[data-testid=policy-submit]", Patience);
        cut.Find("[data-testid=policy-field-name]").Change("broken");
        cut.Find("[data-testid=policy-free-text]").Change(true);
        cut.WaitForElement("[data-testid=policy-field-action]", Patience).Change("certificate_ca_connector=nowhereCA");
        cut.Find("[data-testid=policy-submit]").Click();

        // In the text form Core's refusal of an action shows under the action field, once.
        cut.WaitForAssertion(() => Assert.Contains("there is no CA connector named 'nowhereCA'",
            cut.Find("[data-testid=policy-field-action]").Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text.mud-input-error")!.TextContent), Patience);
        Assert.Empty(cut.FindAll("[data-testid=policy-problem]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=policy-dialog]"));
        Assert.Equal("certificate_ca_connector=nowhereCA", cut.Find("[data-testid=policy-field-action]").GetAttribute("value") ?? cut.Find("[data-testid=policy-field-action]").TextContent);
        await using var db = Core.NewDb();
        Assert.False(await db.Policies.AnyAsync(p => p.Name == "broken"));
    }

    [Fact]
    public async Task Edit_PriorityAndActive_AreSavedAndNameStaysFixed()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<PoliciesPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Names(cut).Count), Patience);

        cut.Find("[data-testid=policy-edit-quota]").Click();
        cut.WaitForElement("[data-testid=policy-submit]", Patience);
        Assert.True(cut.Find("[data-testid=policy-field-name]").HasAttribute("disabled"));
        cut.Find("[data-testid=policy-field-priority]").Change("9");
        cut.Find("[data-testid=policy-field-active]").Change(true);
        cut.Find("[data-testid=policy-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["staff-ca", "quota"], Names(cut)), Patience);
        Assert.Empty(cut.FindAll("[data-testid=policy-inactive-quota]"));
        await using var db = Core.NewDb();
        var saved = await db.Policies.SingleAsync(p => p.Name == "quota");
        Assert.Equal((9, true, "max_token_per_user=3, user_may_revoke=false", "default"), (saved.Priority, saved.Active, saved.Action, saved.Realms));
    }

    [Fact]
    public async Task Delete_Confirmed_RemovesThePolicy()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<PoliciesPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Names(cut).Count), Patience);

        cut.Find("[data-testid=policy-delete-quota]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Delete the policy 'quota'?", cut.Find(".mud-dialog").TextContent), Patience);
        cut.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Delete").Click();

        cut.WaitForAssertion(() => Assert.Equal(["staff-ca"], Names(cut)), Patience);
        Assert.Contains("Policy quota deleted.", Snackbar(cut).TextContent);
        await using var db = Core.NewDb();
        Assert.False(await db.Policies.AnyAsync(p => p.Name == "quota"));
    }

    [Fact]
    public async Task Delete_Cancelled_KeepsThePolicy()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<PoliciesPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Names(cut).Count), Patience);

        cut.Find("[data-testid=policy-delete-quota]").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll(".mud-dialog")), Patience);
        cut.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Cancel").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")), Patience);
        Assert.Equal(2, Names(cut).Count);
        await using var db = Core.NewDb();
        Assert.True(await db.Policies.AnyAsync(p => p.Name == "quota"));
    }

    [Fact]
    public async Task Render_NoPolicies_SaysWhatThatMeans()
    {
        foreach (var name in new[] { "staff-ca", "quota" })
        {
            await Core.InScopeAsync(sp => sp.GetRequiredService<DeletePolicyCommand>().ExecuteAsync(Actor.System, name));
        }
        LogInAs(PortalRoles.Helpdesk);

        var cut = RenderWithProviders<PoliciesPage>();

        cut.WaitForAssertion(() => Assert.Contains("No policies yet", cut.Find("[data-testid=policies-empty]").TextContent), Patience);
    }

    [Fact]
    public async Task AddRoot_ValidPem_IsTrustedAndListed()
    {
        using var pki = new TestAttestationPki("ec", "ec", "Panel");
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<PoliciesPage>();
        cut.WaitForElement("[data-testid=roots-empty]", Patience);

        cut.Find("[data-testid=root-add]").Click();
        cut.WaitForElement("[data-testid=root-submit]", Patience);
        cut.Find("[data-testid=root-field-name]").Change("panel-root");
        cut.Find("[data-testid=root-field-pem]").Change(pki.RootPem);
        cut.Find("[data-testid=root-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["panel-root"], cut.FindAll("[data-testid=root-name]").Select(e => e.TextContent.Trim())), Patience);
        Assert.Empty(cut.FindAll("[data-testid=root-dialog]"));
        await using var db = Core.NewDb();
        Assert.Equal(pki.Root.Subject, (await db.AttestationRoots.SingleAsync(r => r.Name == "panel-root")).Subject);
    }

    [Fact]
    public async Task AddRoot_NotACertificate_KeepsDialogWithMessageAndSavesNothing()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<PoliciesPage>();
        cut.WaitForElement("[data-testid=roots-empty]", Patience);

        cut.Find("[data-testid=root-add]").Click();
        cut.WaitForElement("[data-testid=root-submit]", Patience);
        cut.Find("[data-testid=root-field-name]").Change("junk");
        cut.Find("[data-testid=root-field-pem]").Change("hello");
        cut.Find("[data-testid=root-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("cannot be read", cut.Find("[data-testid=root-problem]").TextContent), Patience);
        await using var db = Core.NewDb();
        Assert.False(await db.AttestationRoots.AnyAsync());
    }

    [Fact]
    public async Task Roots_Helpdesk_SeesThemWithoutButtons()
    {
        using var pki = new TestAttestationPki("rsa", "rsa", "Seen");
        var added = await Core.InScopeAsync(sp => sp.GetRequiredService<AddAttestationRootCommand>().ExecuteAsync(Actor.System, "seen-root", pki.RootPem));
        Assert.True(added.IsSuccess, added.Error?.Message);
        LogInAs(PortalRoles.Helpdesk);

        var cut = RenderWithProviders<PoliciesPage>();

        cut.WaitForAssertion(() => Assert.Equal(["seen-root"], cut.FindAll("[data-testid=root-name]").Select(e => e.TextContent.Trim())), Patience);
        Assert.Empty(cut.FindAll("[data-testid=root-add], [data-testid^=root-remove-]"));
    }

    private static List<string> Names(IRenderedComponent<ContainerFragment> cut) =>
        cut.FindAll("[data-testid=policy-name]").Select(e => e.TextContent.Trim()).ToList();

    private static IElement Snackbar(IRenderedComponent<ContainerFragment> cut) => cut.Find(".mud-snackbar");

    private async Task ArrangePolicyAsync(PolicyRequest request)
    {
        var result = await Core.InScopeAsync(sp => sp.GetRequiredService<SetPolicyCommand>().ExecuteAsync(Actor.System, request));
        Assert.True(result.IsSuccess, result.Error?.Message);
    }
}
