using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using MyCertificatesPage = CertTokenPortal.Components.Pages.Tokens.MyCertificates;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages.Tokens;

[Trait("Category", "Component")]
public sealed class MyCertificatesTests : PortalComponentTest
{

    public override async Task InitializeAsync()
    {
        await UseCoreAsync();
        await Core.CreateUserAsync("alice");
        await Core.CreateUserAsync("bob");
        await Core.CreateUserAsync("helen", PortalRoles.Helpdesk);
    }

    [Fact]
    public void Render_LoginPending_ShowsLoading()
    {
        LogInPending();

        var cut = RenderWithProviders<MyCertificatesPage>();

        Assert.NotEmpty(cut.FindAll("[data-testid=my-loading]"));
    }

    [Fact]
    public async Task Render_NoOwnTokens_ShowsEmptyStateWithEnrolLink()
    {
        await Core.EnrolCsrAsync("bob", "not-alices");
        LogInAs(PortalRoles.User, "alice");

        var cut = RenderWithProviders<MyCertificatesPage>();

        cut.WaitForElement("[data-testid=my-empty]", Patience);
        Assert.Equal("enrol", cut.Find("[data-testid=my-enrol]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=my-token]"));
    }

    [Fact]
    public async Task Render_User_ShowsOwnTokensOnlyNewestFirst()
    {
        var first = await Core.EnrolCsrAsync("alice", "first");
        await Core.EnrolCsrAsync("bob", "bobs");
        var second = await Core.EnrolCsrAsync("alice", "second", description: "Phone");
        LogInAs(PortalRoles.User, "alice");

        var cut = RenderWithProviders<MyCertificatesPage>();

        cut.WaitForAssertion(() => Assert.Equal([second.Serial, first.Serial], Serials(cut)), Patience);
        Assert.Contains("Phone", Card(cut, second.Serial).TextContent);
        Assert.NotEmpty(cut.FindAll($"[data-testid=my-token-revoke-{first.Serial}]"));
    }

    [Fact]
    public async Task Render_Helpdesk_ShowsOwnTokensNotEveryonesToo()
    {
        var own = await Core.EnrolCsrAsync("helen", "helens");
        await Core.EnrolCsrAsync("alice", "alices");
        LogInAs(PortalRoles.Helpdesk, "helen");

        var cut = RenderWithProviders<MyCertificatesPage>();

        cut.WaitForAssertion(() => Assert.Equal([own.Serial], Serials(cut)), Patience);
    }

    [Fact]
    public async Task Revoke_OwnToken_RevokesAndTheCardSaysSoAtOnce()
    {
        var token = await Core.EnrolCsrAsync("alice", "lost-phone");
        LogInAs(PortalRoles.User, "alice");
        var cut = RenderWithProviders<MyCertificatesPage>();
        cut.WaitForElement($"[data-testid=my-token-revoke-{token.Serial}]", Patience).Click();

        cut.WaitForElement("[data-testid=revoke-confirm]", Patience).Click();

        cut.WaitForAssertion(() => Assert.Equal("revoked", Card(cut, token.Serial).QuerySelector("[data-testid=token-state]")!.TextContent.Trim()), Patience);
        Assert.Empty(cut.FindAll($"[data-testid=my-token-revoke-{token.Serial}]"));
        Assert.True((await Core.FindTokenAsync(token.Serial))?.Revoked);
    }

    [Fact]
    public async Task Revoke_RevokedMeanwhile_ShowsConflictAndTheRevokedCard()
    {
        var token = await Core.EnrolCsrAsync("alice", "race");
        LogInAs(PortalRoles.User, "alice");
        var cut = RenderWithProviders<MyCertificatesPage>();
        cut.WaitForElement($"[data-testid=my-token-revoke-{token.Serial}]", Patience).Click();
        cut.WaitForElement("[data-testid=revoke-confirm]", Patience);
        await Core.RevokeAsync(token.Serial);

        cut.Find("[data-testid=revoke-confirm]").Click();

        cut.WaitForAssertion(() => Assert.Contains("already revoked", cut.Find(".mud-snackbar").TextContent), Patience);
        Assert.Contains("warning", cut.Find(".mud-snackbar").ClassName);
        cut.WaitForAssertion(() => Assert.Equal("revoked", Card(cut, token.Serial).QuerySelector("[data-testid=token-state]")!.TextContent.Trim()), Patience);
    }

    [Fact]
    public async Task Render_ThirteenTokens_PagesByTwelve()
    {
        for (var i = 0; i < 13; i++)
        {
            await Core.EnrolCsrAsync("alice", $"many-{i}");
        }
        LogInAs(PortalRoles.User, "alice");

        var cut = RenderWithProviders<MyCertificatesPage>();

        cut.WaitForAssertion(() => Assert.Equal(12, Serials(cut).Count), Patience);
        var firstPage = Serials(cut);
        cut.Find("[data-testid=my-pages] button[aria-label='Page 2']").Click();
        cut.WaitForAssertion(() => Assert.Single(Serials(cut)), Patience);
        Assert.DoesNotContain(Serials(cut)[0], firstPage);
    }

    private static List<string> Serials(IRenderedComponent<ContainerFragment> cut) =>
        cut.FindAll("[data-testid=my-token]").Select(c => c.GetAttribute("data-serial")!).ToList();

    private static AngleSharp.Dom.IElement Card(IRenderedComponent<ContainerFragment> cut, string serial) =>
        cut.Find($"[data-testid=my-token][data-serial={serial}]");
}
