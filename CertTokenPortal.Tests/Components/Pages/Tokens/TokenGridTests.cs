using System.Text.RegularExpressions;
using System.Reflection;
using System.Text;
using AngleSharp.Dom;
using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using TokenGridPage = CertTokenPortal.Components.Pages.Tokens.TokenGrid;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages.Tokens;

[Trait("Category", "Component")]
public sealed class TokenGridTests : PortalComponentTest
{

    public override async Task InitializeAsync()
    {
        await UseCoreAsync();
        await Core.CreateUserAsync("alice");
        await Core.CreateUserAsync("bob");
    }

    [Fact]
    public void TokenGrid_AuthorizeAttribute_IsTheViewAllTokensPolicy()
    {
        var policies = typeof(TokenGridPage).GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy);

        Assert.Contains(RolePermissions.PolicyName(Permission.ViewAllTokens), policies);
    }

    [Fact]
    public void Render_LoginPending_ShowsLoading()
    {
        LogInPending();

        var cut = RenderWithProviders<TokenGridPage>();

        Assert.NotEmpty(cut.FindAll("[data-testid=tokens-loading]"));
        Assert.Empty(cut.FindAll("[data-testid=tokens-grid]"));
    }

    [Fact]
    public void Render_NoTokens_ShowsEmptyState()
    {
        LogInAs(PortalRoles.Helpdesk);

        var cut = RenderWithProviders<TokenGridPage>();

        cut.WaitForElement("[data-testid=tokens-empty]", Patience);
        Assert.Empty(Serials(cut));
    }

    [Fact]
    public void Render_EmptySystem_InvitesToEnrolTheFirstCertificate()
    {
        LogInAs(PortalRoles.Helpdesk);

        var cut = RenderWithProviders<TokenGridPage>();

        cut.WaitForElement("[data-testid=tokens-empty]", Patience);
        Assert.Equal("No tokens yet — enrol the first certificate.", cut.Find("[data-testid=tokens-empty]").TextContent.Trim());
        Assert.Equal("enrol", cut.Find("[data-testid=tokens-empty-enrol]").GetAttribute("href"));
    }

    [Fact]
    public async Task Search_MatchesNothing_SaysNoTokensMatchTheseFilters()
    {
        await Core.EnrolCsrAsync("alice", "present");
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<TokenGridPage>();
        cut.WaitForAssertion(() => Assert.Single(Serials(cut)), Patience);

        cut.Find("[data-testid=tokens-search]").Input("no-such-thing");

        cut.WaitForAssertion(() => Assert.Contains("No tokens match these filters", cut.Find("[data-testid=tokens-empty]").TextContent), Patience);
        Assert.Empty(cut.FindAll("[data-testid=tokens-empty-enrol]"));
    }

    [Fact]
    public async Task Render_Rows_EachButtonAndLinkHasADistinctAccessibleName()
    {
        var first = await Core.EnrolCsrAsync("alice", "first");
        var second = await Core.EnrolCsrAsync("bob", "second");
        LogInAs(PortalRoles.Helpdesk);

        var cut = RenderWithProviders<TokenGridPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, Serials(cut).Count), Patience);
        foreach (var token in new[] { first, second })
        {
            Assert.Equal($"Revoke {token.Serial}", cut.Find($"[data-testid=token-revoke-{token.Serial}]").GetAttribute("aria-label"));
            // The serial is a real link, reachable with Tab, to the token's page.
            var link = Row(cut, token.Serial).QuerySelector("a[data-testid=token-serial]")!;
            Assert.Equal($"tokens/{token.Serial}", link.GetAttribute("href"));
        }
        var sortNames = cut.FindAll("th button").Select(b => b.GetAttribute("aria-label")).ToList();
        Assert.Equal(["Sort by serial", "Sort by owner", "Sort by subject", "Sort by CA · template", "Sort by state", "Sort by expires"], sortNames);
        Assert.Equal("alice · realm default", Regex.Replace(Row(cut, first.Serial).QuerySelector("[data-testid=token-owner]")!.ParentElement!.TextContent, @"\s+", " ").Trim());
        // The owner opens the user's page (their tokens, "Enrol for this user").
        Assert.Equal("users/default/alice", Row(cut, first.Serial).QuerySelector("a[data-testid=token-owner]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Render_StateAndExpiryInTheAddress_FiltersTheGrid()
    {
        var soon = await Core.EnrolCsrAsync("alice", "soon");
        await Core.EnrolCsrAsync("alice", "later");
        var revoked = await Core.EnrolCsrAsync("bob", "gone");
        await Core.SetNotAfterAsync(soon.Serial, DateTime.UtcNow.AddDays(3.5));
        await Core.SetNotAfterAsync(revoked.Serial, DateTime.UtcNow.AddDays(3.5));
        await Core.RevokeAsync(revoked.Serial);
        LogInAs(PortalRoles.Helpdesk);
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo("tokens?state=enrolled&expires_within=7");

        var cut = RenderWithProviders<TokenGridPage>();

        cut.WaitForAssertion(() => Assert.Equal([soon.Serial], Serials(cut)), Patience);
        Assert.NotEmpty(cut.FindAll("[data-testid=tokens-filters]"));
    }

    [Fact]
    public async Task Render_Helpdesk_ListsEveryTokenWithStateAndExpiryChips()
    {
        var soon = await Core.EnrolCsrAsync("alice", "soon");
        var month = await Core.EnrolCsrAsync("alice", "month");
        var later = await Core.EnrolCsrAsync("bob", "later");
        var revoked = await Core.EnrolCsrAsync("bob", "gone");
        var now = DateTime.UtcNow;
        await Core.SetNotAfterAsync(soon.Serial, now.AddDays(3.5));
        await Core.SetNotAfterAsync(month.Serial, now.AddDays(20.5));
        await Core.RevokeAsync(revoked.Serial);
        LogInAs(PortalRoles.Helpdesk);

        var cut = RenderWithProviders<TokenGridPage>();

        cut.WaitForAssertion(() => Assert.Equal(4, Serials(cut).Count), Patience);
        Assert.Equal(new[] { soon, month, later, revoked }.Select(t => t.Serial).Order(), Serials(cut));
        Assert.Equal(("enrolled", "expires in 3 days", "error"), Chips(cut, soon.Serial));
        Assert.Equal(("enrolled", "expires in 20 days", "warning"), Chips(cut, month.Serial));
        Assert.Equal("success", Chips(cut, later.Serial).Color);
        Assert.Equal(("revoked", "default"), (Chips(cut, revoked.Serial).State, Chips(cut, revoked.Serial).Color));
        Assert.NotEmpty(cut.FindAll($"[data-testid=token-revoke-{soon.Serial}]"));
        Assert.Empty(cut.FindAll($"[data-testid=token-revoke-{revoked.Serial}]"));
    }

    [Fact]
    public async Task Search_PartOfSubject_ShowsMatchesOnly()
    {
        await Core.EnrolCsrAsync("alice", "printer-one");
        var wanted = await Core.EnrolCsrAsync("bob", "scanner-two");
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<TokenGridPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Serials(cut).Count), Patience);

        cut.Find("[data-testid=tokens-search]").Input("scanner");

        cut.WaitForAssertion(() => Assert.Equal([wanted.Serial], Serials(cut)), Patience);
    }

    [Fact]
    public async Task Filter_StateRevokedAndOwner_ShowsMatchesOnlyAndCountsFilters()
    {
        var aliceRevoked = await Core.EnrolCsrAsync("alice", "a-old");
        await Core.EnrolCsrAsync("alice", "a-new");
        var bobRevoked = await Core.EnrolCsrAsync("bob", "b-old");
        await Core.RevokeAsync(aliceRevoked.Serial);
        await Core.RevokeAsync(bobRevoked.Serial);
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<TokenGridPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, Serials(cut).Count), Patience);

        cut.Find("[data-testid=tokens-filters-toggle]").Click();
        ChooseInSelect(cut, "filter-state", "revoked");
        cut.WaitForAssertion(() => Assert.Equal(new[] { aliceRevoked.Serial, bobRevoked.Serial }.Order(), Serials(cut)), Patience);
        cut.Find("[data-testid=filter-owner]").Input("alice");

        cut.WaitForAssertion(() => Assert.Equal([aliceRevoked.Serial], Serials(cut)), Patience);
        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find(".mud-badge").TextContent.Trim()), Patience);
        cut.Find("[data-testid=filter-clear]").Click();
        cut.WaitForAssertion(() => Assert.Equal(3, Serials(cut).Count), Patience);
    }

    [Fact]
    public async Task Sort_OwnerColumn_SortsInTheDatabaseBothWays()
    {
        var bob = await Core.EnrolCsrAsync("bob", "b");
        var alice = await Core.EnrolCsrAsync("alice", "a");
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<TokenGridPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Serials(cut).Count), Patience);

        SortBy(cut, "Owner");
        cut.WaitForAssertion(() => Assert.Equal([alice.Serial, bob.Serial], Serials(cut)), Patience);
        SortBy(cut, "Owner");

        cut.WaitForAssertion(() => Assert.Equal([bob.Serial, alice.Serial], Serials(cut)), Patience);
    }

    [Fact]
    public async Task Revoke_FromRow_RevokesWithReasonAndRowChangesAtOnce()
    {
        var token = await Core.EnrolCsrAsync("alice", "revoke-me");
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<TokenGridPage>();
        cut.WaitForAssertion(() => Assert.Single(Serials(cut)), Patience);

        cut.Find($"[data-testid=token-revoke-{token.Serial}]").Click();
        cut.WaitForElement("[data-testid=revoke-confirm]", Patience);
        Assert.Contains(token.Serial, cut.Find("[data-testid=revoke-question]").TextContent);
        Assert.Contains($"Revoke {token.Serial}", cut.Find("[data-testid=revoke-confirm]").TextContent);
        ChooseInSelect(cut, "revoke-reason", "keyCompromise");
        cut.Find("[data-testid=revoke-confirm]").Click();

        cut.WaitForAssertion(() => Assert.Equal("revoked", Chips(cut, token.Serial).State), Patience);
        Assert.Empty(cut.FindAll("[data-testid=revoke-dialog]"));
        Assert.Empty(cut.FindAll($"[data-testid=token-revoke-{token.Serial}]"));
        var saved = await Core.FindTokenAsync(token.Serial);
        Assert.Equal((true, "keyCompromise"), (saved?.Revoked, saved?.RevocationReason));
    }

    [Fact]
    public async Task Revoke_RevokedMeanwhile_ShowsConflictAndTheRevokedState()
    {
        var token = await Core.EnrolCsrAsync("alice", "twice");
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<TokenGridPage>();
        cut.WaitForAssertion(() => Assert.Single(Serials(cut)), Patience);
        cut.Find($"[data-testid=token-revoke-{token.Serial}]").Click();
        cut.WaitForElement("[data-testid=revoke-confirm]", Patience);
        await Core.RevokeAsync(token.Serial, "superseded");

        cut.Find("[data-testid=revoke-confirm]").Click();

        cut.WaitForAssertion(() => Assert.Contains($"Token {token.Serial} is already revoked.", cut.Find(".mud-snackbar").TextContent), Patience);
        cut.WaitForAssertion(() => Assert.Equal("revoked", Chips(cut, token.Serial).State), Patience);
        Assert.Equal("superseded", (await Core.FindTokenAsync(token.Serial))?.RevocationReason);
    }

    [Fact]
    public async Task RowClick_OpensTheTokenPage()
    {
        var token = await Core.EnrolCsrAsync("alice", "open-me");
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<TokenGridPage>();
        cut.WaitForAssertion(() => Assert.Single(Serials(cut)), Patience);

        cut.Find("[data-testid=token-serial]").Closest("tr")!.Click();

        Assert.EndsWith($"/tokens/{token.Serial}", Context.Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public async Task ExportCsv_CurrentFilter_StreamsMatchingTokensOnly()
    {
        var wanted = await Core.EnrolCsrAsync("alice", "csv-wanted");
        await Core.EnrolCsrAsync("bob", "csv-other");
        LogInAs(PortalRoles.Helpdesk);
        var saveFile = Context.JSInterop.SetupVoid("portal.saveFile", _ => true);
        var cut = RenderWithProviders<TokenGridPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Serials(cut).Count), Patience);
        cut.Find("[data-testid=tokens-search]").Input("csv-wanted");
        cut.WaitForAssertion(() => Assert.Single(Serials(cut)), Patience);

        // The search may still be re-rendering the grid: a click on a replaced button is retried on the new one.
        cut.WaitForAssertion(() => cut.Find("[data-testid=tokens-export]").Click(), Patience);

        cut.WaitForAssertion(() => Assert.Single(saveFile.Invocations), Patience);
        var invocation = saveFile.Invocations.Single();
        var reference = Assert.IsType<DotNetStreamReference>(invocation.Arguments[2]);
        using var reader = new StreamReader(reference.Stream, Encoding.UTF8);
        var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        saveFile.SetVoidResult();
        Assert.Matches(@"^tokens-\d{8}-\d{4}\.csv$", (string)invocation.Arguments[0]!);
        Assert.Equal("text/csv", invocation.Arguments[1]);
        Assert.StartsWith("serial,tokentype,username", lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{wanted.Serial},certificate,alice,", lines[1]);
    }

    [Fact]
    public async Task Render_EndUserPastTheRouter_SeesOwnTokensOnly()
    {
        // The router keeps end users out; should the page render anyway, Core still lists their own tokens only.
        var own = await Core.EnrolCsrAsync("alice", "mine");
        await Core.EnrolCsrAsync("bob", "not-mine");
        LogInAs(PortalRoles.User, "alice");

        var cut = RenderWithProviders<TokenGridPage>();

        cut.WaitForAssertion(() => Assert.Equal([own.Serial], Serials(cut)), Patience);
    }

    private static List<string> Serials(IRenderedComponent<ContainerFragment> cut) =>
        cut.FindAll("[data-testid=token-serial]").Select(e => e.TextContent.Trim()).ToList();

    private static (string State, string Expiry, string Color) Chips(IRenderedComponent<ContainerFragment> cut, string serial)
    {
        var row = Row(cut, serial);
        var expiry = row.QuerySelector("[data-testid=token-expiry]")!;
        return (row.QuerySelector("[data-testid=token-state]")!.TextContent.Trim(), expiry.TextContent.Trim(), expiry.GetAttribute("data-color")!);
    }

    private static IElement Row(IRenderedComponent<ContainerFragment> cut, string serial) =>
        cut.FindAll("tr").Single(r => r.QuerySelector("[data-testid=token-serial]")?.TextContent.Trim() == serial);

    private static void SortBy(IRenderedComponent<ContainerFragment> cut, string title)
    {
        cut.FindAll("button").Single(b => b.GetAttribute("aria-label") == $"Sort by {title.ToLowerInvariant()}").Click();
    }

    private static void ChooseInSelect(IRenderedComponent<ContainerFragment> cut, string testId, string item)
    {
        cut.WaitForElement($"[data-testid={testId}]", Patience).ParentElement!.ParentElement!.MouseDown();
        cut.WaitForElement(".mud-popover-open .mud-list-item", Patience);
        cut.FindAll(".mud-popover-open .mud-list-item")
            .Single(i => i.TextContent.Trim() == item || i.QuerySelector($"[data-reason={item}]") is not null).Click();
    }
}
