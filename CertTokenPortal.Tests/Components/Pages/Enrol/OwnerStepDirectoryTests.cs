using AngleSharp.Dom;
using Bunit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using EnrolPage = CertTokenPortal.Components.Pages.Enrol.Enrol;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages.Enrol;

/// <summary>The wizard's owner search with a realm served by the real test slapd: directory users are found and enrolled for.</summary>
[Trait("Category", "Component")]
[Collection(OpenLdapCollection.Name)]
public sealed class OwnerStepDirectoryTests(OpenLdapServer ldap) : PortalComponentTest
{
    public override async Task InitializeAsync()
    {
        await UseCoreAsync();
        await DirectoryScenario.ConnectAsync(Core, ldap);
    }

    [Fact]
    public void OwnerSearch_ByDisplayName_OffersTheDirectoryUserWithRealmSourceAndNames()
    {
        LogInAs(PortalRoles.Helpdesk, "hanna");
        var cut = RenderWithProviders<EnrolPage>();
        GoToOwnerStep(cut);

        cut.Find("input[data-testid=enrol-owner]").Input("Archer");

        var option = cut.WaitForElement("[data-testid=enrol-owner-option][data-user=alice]", Patience);
        var source = option.ParentElement!.QuerySelector("[data-testid=enrol-owner-source]")!;
        Assert.Equal(DirectoryScenario.Resolver, source.GetAttribute("data-source"));
        Assert.Contains("realm corp", source.TextContent);
        Assert.Contains("Alice Archer", source.TextContent);
        Assert.Contains("alice.archer@example.org", source.TextContent);
    }

    [Fact]
    public async Task Enrol_ForDirectoryUserWhoNeverLoggedIn_RecordsTheShadowAndOwnsTheTokenByItsId()
    {
        LogInAs(PortalRoles.Helpdesk, "hanna");
        var cut = RenderWithProviders<EnrolPage>();
        GoToOwnerStep(cut);

        cut.Find("input[data-testid=enrol-owner]").Input("bob");
        cut.WaitForElement("[data-testid=enrol-owner-option][data-user=bob]", Patience).Closest(".mud-list-item")!.Click();
        cut.WaitForAssertion(() => Assert.Equal("bob · realm corp", cut.Find("input[data-testid=enrol-owner]").GetAttribute("value")), Patience);
        Next(cut); // a CSR has no key to protect: the review follows the owner
        cut.WaitForAssertion(() => Assert.Equal("bob · realm corp", cut.Find("[data-testid=review-owner]").TextContent.Trim()), Patience);
        cut.Find("[data-testid=enrol-submit]").Click();

        cut.WaitForElement("[data-testid=enrol-result-enrolled]", Patience);
        var serial = cut.Find("[data-testid=enrol-result]").GetAttribute("data-serial")!;
        await using var db = Core.NewDb();
        var shadow = await db.Users.SingleAsync(u => u.UserName == "bob");
        var token = await db.Tokens.SingleAsync(t => t.Serial == serial);
        Assert.Equal((DirectoryScenario.Resolver, "corp"), (shadow.Resolver, shadow.Realm));
        Assert.Equal((shadow.Id, "bob", "corp", RolloutState.Enrolled), (token.OwnerId, token.OwnerUserName, token.OwnerRealm, token.RolloutState));
    }

    private static void GoToOwnerStep(IRenderedComponent<Bunit.Rendering.ContainerFragment> cut)
    {
        cut.WaitForElement("[data-testid=csr-text]", Patience);
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(TestCsrs.Rsa("bob"), "bob.csr"));
        cut.WaitForElement("[data-testid=csr-preview]", Patience);
        Next(cut);
        cut.WaitForElement("[data-testid=enrol-template-user]", Patience);
        Next(cut);
        cut.WaitForElement("input[data-testid=enrol-owner]", Patience);
    }

    private static void Next(IRenderedComponent<Bunit.Rendering.ContainerFragment> cut)
    {
        var step = int.Parse(cut.Find("[data-testid=enrol-wizard]").GetAttribute("data-step")!);
        cut.Find("[data-testid=enrol-next]").Click();
        cut.WaitForAssertion(() => Assert.Equal(step + 1, int.Parse(cut.Find("[data-testid=enrol-wizard]").GetAttribute("data-step")!)), Patience);
    }
}
