using System.Reflection;
using AngleSharp.Dom;
using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using AuditLogPage = CertTokenPortal.Components.Pages.Audit.AuditLog;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages.Audit;

/// <summary>
/// The audit page on the real Core with a log of eight entries, one a minute from 1 March 2031 10:00 UTC: entry i by
/// alice (even) or bob (odd), a revoke (i &lt; 4) or a CA change, failed when i is 3 or 6.
/// </summary>
[Trait("Category", "Component")]
public sealed class AuditLogTests : PortalComponentTest
{
    private readonly DatabaseGate _gate = new("\"AuditEntries\"");

    public override async Task InitializeAsync()
    {
        await UseCoreAsync(configure: s => s.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(_gate)));
        await using var db = Core.NewDb();
        await db.AuditEntries.ExecuteDeleteAsync();
        for (var i = 0; i < 8; i++)
        {
            db.AuditEntries.Add(new AuditEntry
            {
                Timestamp = new DateTime(2031, 3, 1, 10, i, 0, DateTimeKind.Utc),
                UserName = i % 2 == 0 ? "alice" : "bob",
                Realm = "default",
                Role = PortalRoles.Helpdesk,
                Action = i < 4 ? AuditActions.TokenRevoke : AuditActions.CaTemplate,
                Serial = i < 4 ? $"CRT0000000{i}" : null,
                CaName = i < 4 ? null : "localCA",
                Success = i is not (3 or 6),
                Message = $"entry {i}",
            });
        }
        await db.SaveChangesAsync();
    }

    [Fact]
    public void AuditLog_AuthorizeAttribute_IsTheViewAuditPolicy()
    {
        var policies = typeof(AuditLogPage).GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy);

        Assert.Contains(RolePermissions.PolicyName(Permission.ViewAudit), policies);
    }

    [Fact]
    public void Render_Helpdesk_ListsEntriesNewestFirstWithOutcome()
    {
        LogInAs(PortalRoles.Helpdesk);

        var cut = RenderWithProviders<AuditLogPage>();

        cut.WaitForAssertion(() => Assert.Equal(Entries(7, 0), Messages(cut)), Patience);
        Assert.Equal("2031-03-01 10:07:00", cut.FindAll("[data-testid=audit-time]")[0].TextContent);
        Assert.Equal(["success", "failure"], cut.FindAll("[data-testid=audit-outcome]").Take(2).Select(e => e.TextContent.Trim()));
        Assert.Equal("CRT00000003", cut.FindAll("[data-testid=audit-serial]")[4].TextContent);
    }

    [Fact]
    public void Render_DatabaseSlow_ShowsLoadingThenEntries()
    {
        LogInAs(PortalRoles.Admin);
        _gate.Close();

        var cut = RenderWithProviders<AuditLogPage>();

        cut.WaitForElement("[data-testid=audit-loading]", Patience);
        Assert.Empty(Messages(cut));
        _gate.Open();
        cut.WaitForAssertion(() => Assert.Equal(8, Messages(cut).Count), Patience);
        Assert.Empty(cut.FindAll("[data-testid=audit-loading]"));
    }

    [Fact]
    public void Render_EndUserPastTheRouter_ShowsCoreRefusal()
    {
        // The router keeps end users out; should the page render anyway, Core still refuses and the page says so.
        LogInAs(PortalRoles.User);

        var cut = RenderWithProviders<AuditLogPage>();

        cut.WaitForAssertion(() => Assert.Equal("Only admins and helpdesk staff may read the audit log.",
            cut.Find("[data-testid=audit-load-error]").TextContent.Trim()), Patience);
        Assert.Empty(Messages(cut));
        Assert.Empty(cut.FindAll("[data-testid=audit-empty]"));
    }

    [Fact]
    public void SerialFilter_NoMatch_ShowsEmptyState()
    {
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<AuditLogPage>();
        cut.WaitForAssertion(() => Assert.Equal(8, Messages(cut).Count), Patience);

        cut.Find("input[data-testid=audit-serial-filter], [data-testid=audit-serial-filter] input").Input("CRT99999999");

        cut.WaitForElement("[data-testid=audit-empty]", Patience);
        Assert.Empty(Messages(cut));
    }

    [Fact]
    public void UserFilter_Wildcard_ShowsThatUsersEntries()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<AuditLogPage>();
        cut.WaitForAssertion(() => Assert.Equal(8, Messages(cut).Count), Patience);

        cut.Find("input[data-testid=audit-user-filter], [data-testid=audit-user-filter] input").Input("b*");

        cut.WaitForAssertion(() => Assert.Equal(["entry 7", "entry 5", "entry 3", "entry 1"], Messages(cut)), Patience);
    }

    [Fact]
    public void ActionFilter_CaTemplate_ShowsOnlyThatAction()
    {
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<AuditLogPage>();
        cut.WaitForAssertion(() => Assert.Equal(8, Messages(cut).Count), Patience);

        Choose(cut, "audit-action-filter", AuditActions.CaTemplate);

        cut.WaitForAssertion(() => Assert.Equal(Entries(7, 4), Messages(cut)), Patience);
        Assert.NotEmpty(cut.FindAll("[data-testid=audit-action]"));
        Assert.All(cut.FindAll("[data-testid=audit-action]"), e => Assert.Equal(AuditActions.CaTemplate, e.TextContent.Trim()));
    }

    [Fact]
    public void OutcomeFilter_Failure_ShowsFailuresOnly()
    {
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<AuditLogPage>();
        cut.WaitForAssertion(() => Assert.Equal(8, Messages(cut).Count), Patience);

        Choose(cut, "audit-outcome-filter", "failure");

        cut.WaitForAssertion(() => Assert.Equal(["entry 6", "entry 3"], Messages(cut)), Patience);
    }

    [Fact]
    public void TimeRange_FromAndBefore_ShowsEntriesInside()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<AuditLogPage>();
        cut.WaitForAssertion(() => Assert.Equal(8, Messages(cut).Count), Patience);

        Input(cut, "audit-from-filter").Change("2031-03-01T10:02");
        Input(cut, "audit-to-filter").Change("2031-03-01T10:05");

        cut.WaitForAssertion(() => Assert.Equal(["entry 4", "entry 3", "entry 2"], Messages(cut)), Patience);
    }

    [Fact]
    public void TimeRange_FromAfterBefore_ShowsCoreMessageAndNoEntries()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<AuditLogPage>();
        cut.WaitForAssertion(() => Assert.Equal(8, Messages(cut).Count), Patience);

        Input(cut, "audit-from-filter").Change("2031-03-01T11:00");
        Input(cut, "audit-to-filter").Change("2031-03-01T10:00");

        cut.WaitForAssertion(() => Assert.Equal("The start of the time range must be before its end.",
            cut.Find("[data-testid=audit-load-error]").TextContent.Trim()), Patience);
        Assert.Empty(Messages(cut));
    }

    [Fact]
    public void SortByUser_HeaderClicked_DatabaseSortsUsersAscending()
    {
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<AuditLogPage>();
        cut.WaitForAssertion(() => Assert.Equal(8, Messages(cut).Count), Patience);

        // Each sort button names its column, with the visible title in the name.
        Assert.Equal(["Sort by time (UTC)", "Sort by user", "Sort by action", "Sort by serial", "Sort by outcome"],
            cut.FindAll("th button").Select(b => b.GetAttribute("aria-label")));
        cut.FindAll("th button").Single(b => b.GetAttribute("aria-label") == "Sort by user").Click();

        // alice before bob; within a user, oldest first (the tie-break follows the direction).
        cut.WaitForAssertion(() => Assert.Equal(["entry 0", "entry 2", "entry 4", "entry 6", "entry 1", "entry 3", "entry 5", "entry 7"], Messages(cut)), Patience);
        Assert.Equal("true", cut.FindAll("th button").Single(b => b.GetAttribute("aria-label") == "Sort by user").GetAttribute("aria-pressed"));

        cut.FindAll("th button").Single(b => b.GetAttribute("aria-label") == "Sort by user").Click();

        cut.WaitForAssertion(() => Assert.Equal(["entry 7", "entry 5", "entry 3", "entry 1", "entry 6", "entry 4", "entry 2", "entry 0"], Messages(cut)), Patience);
    }

    [Fact]
    public async Task Filter_OnALaterPage_StartsAgainAtTheFirstPage()
    {
        await using (var db = Core.NewDb())
        {
            for (var i = 0; i < 30; i++)
            {
                db.AuditEntries.Add(new AuditEntry
                {
                    Timestamp = new DateTime(2031, 3, 2, 0, i, 0, DateTimeKind.Utc), UserName = "carol", Action = AuditActions.Login,
                    Success = true, Message = $"login {i}",
                });
            }
            await db.SaveChangesAsync();
        }
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<AuditLogPage>();
        cut.WaitForAssertion(() => Assert.Equal(25, Messages(cut).Count), Patience);
        cut.Find("button[aria-label='Next page']").Click();
        cut.WaitForAssertion(() => Assert.Equal(13, Messages(cut).Count), Patience); // 38 entries: 25 + 13

        Input(cut, "audit-user-filter").Input("carol");

        // Carol's 30 entries still fill two pages; a new filter shows the first, newest, not the second.
        cut.WaitForAssertion(() => Assert.Equal(Enumerable.Range(5, 25).Reverse().Select(i => $"login {i}"), Messages(cut)), Patience);
    }

    [Fact]
    public void Link_WithSerial_PresetsTheFilter()
    {
        LogInAs(PortalRoles.Helpdesk);
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo("audit?serial=CRT00000002");

        var cut = RenderWithProviders<AuditLogPage>();

        cut.WaitForAssertion(() => Assert.Equal(["entry 2"], Messages(cut)), Patience);
        Assert.Equal("CRT00000002", Input(cut, "audit-serial-filter").GetAttribute("value"));
    }

    private static IElement Input(IRenderedComponent<ContainerFragment> cut, string testId) =>
        cut.Find($"input[data-testid={testId}], [data-testid={testId}] input");

    private static void Choose(IRenderedComponent<ContainerFragment> cut, string testId, string item)
    {
        cut.Find($".mud-select [data-testid={testId}]").ParentElement!.ParentElement!.MouseDown();
        cut.WaitForElement(".mud-popover-open .mud-list-item", Patience);
        cut.FindAll(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == item).Click();
    }

    private static List<string> Messages(IRenderedComponent<ContainerFragment> cut) =>
        cut.FindAll("[data-testid=audit-message]").Select(e => e.TextContent.Trim()).ToList();

    private static IEnumerable<string> Entries(int from, int downTo) =>
        Enumerable.Range(downTo, from - downTo + 1).Reverse().Select(i => $"entry {i}");
}
