using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using ResolversPage = CertTokenPortal.Components.Pages.Resolvers.Resolvers;

namespace CertTokenPortal.Tests.Components.Pages.Resolvers;

/// <summary>The Resolvers &amp; realms page with the real Core services and a real slapd behind "Test connection".</summary>
[Trait("Category", "ExternalTool")]
[Collection(OpenLdapCollection.Name)]
public sealed class ResolversTests(OpenLdapServer ldap) : PortalComponentTest
{

    public override async Task InitializeAsync() => await UseCoreAsync();

    [Fact]
    public void TestConnection_RightSettings_SaysBindOkAndHowManyUsers()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<ResolversPage>();
        cut.WaitForElement("[data-testid=resolver-form]", TestTimeouts.Patience);

        Fill(cut, ldap.ResolverParameters());
        cut.Find("[data-testid=resolver-test]").Click();

        cut.WaitForAssertion(() => Assert.Matches(@"bind OK \(LDAP, .*\), \d+ users under ou=people",
            cut.Find("[data-testid=resolver-test-result]").TextContent), TestTimeouts.Patience);
    }

    [Fact]
    public void TestConnection_WrongBindPassword_ShowsTheDirectorysError()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<ResolversPage>();
        cut.WaitForElement("[data-testid=resolver-form]", TestTimeouts.Patience);

        Fill(cut, ldap.ResolverParameters(null, ("BINDPW", "wrong")));
        cut.Find("[data-testid=resolver-test]").Click();

        cut.WaitForAssertion(() => Assert.Contains("bind DN or password (BINDPW) is wrong", cut.Find("[data-testid=resolver-test-result]").TextContent), TestTimeouts.Patience);
    }

    [Fact]
    public async Task Save_ResolverThenRealm_BothAreListedAndStored()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<ResolversPage>();
        cut.WaitForElement("[data-testid=resolver-form]", TestTimeouts.Patience);

        cut.Find("[data-testid=resolver-name]").Change("page-ldap");
        Fill(cut, ldap.ResolverParameters());
        cut.Find("[data-testid=resolver-save]").Click();
        cut.WaitForElement("[data-testid=resolver-row][data-name=page-ldap]", TestTimeouts.Patience);
        cut.Find("[data-testid=realm-name]").Change("pagecorp");
        cut.Find("[data-testid=realm-resolvers]").Change("page-ldap, local");
        cut.Find("[data-testid=realm-save]").Click();

        cut.WaitForElement("[data-testid=realm-row][data-name=pagecorp]", TestTimeouts.Patience);
        await using var db = Core.NewDb();
        Assert.True(await db.Realms.AnyAsync(r => r.Name == "pagecorp"));
        Assert.NotNull((await db.Resolvers.SingleAsync(r => r.Name == "page-ldap")).EncryptedBindPassword);
    }

    [Fact]
    public void Render_Helpdesk_SeesTheListsButNoForms()
    {
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<ResolversPage>();

        cut.WaitForElement("[data-testid=resolvers-table]", TestTimeouts.Patience);
        Assert.Empty(cut.FindAll("[data-testid=resolver-form]"));
        Assert.Empty(cut.FindAll("[data-testid=realm-form]"));
    }

    private static void Fill(IRenderedComponent<ContainerFragment> cut, IEnumerable<(string Name, string Value)> parameters)
    {
        foreach (var (name, value) in parameters.Where(p => p.Name != "type"))
        {
            cut.Find($"[data-testid=resolver-field-{name}]").Change(value);
        }
    }
}
