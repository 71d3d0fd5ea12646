using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using DashboardPage = CertTokenPortal.Components.Pages.Dashboard;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages;

/// <summary>The dashboard on the real Core: its loading, empty and data states, and where it sends end users.</summary>
[Trait("Category", "Component")]
public sealed class DashboardTests : PortalComponentTest
{
    private readonly DatabaseGate _gate = new("\"Tokens\"");

    public override async Task InitializeAsync()
    {
        await UseCoreAsync(configure: s => s.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(_gate)));
        await using var db = Core.NewDb();
        await db.AuditEntries.ExecuteDeleteAsync();
    }

    [Fact]
    public async Task Render_Helpdesk_ShowsCountsExpiriesChartAndRecentActivity()
    {
        await ArrangeTokensAsync();
        await ArrangeAuditAsync(12);
        LogInAs(PortalRoles.Helpdesk);

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForElement("[data-testid=count-enrolled]", Patience);
        Assert.Equal(
            [("enrolled", 4), ("pending", 2), ("denied", 1), ("failed", 1), ("revoked", 1)],
            new[] { "enrolled", "pending", "denied", "failed", "revoked" }.Select(k => (k, Tile(cut, $"count-{k}"))));
        Assert.Equal([1, 2, 3], new[] { "7", "30", "90" }.Select(k => Tile(cut, $"expiring-{k}")));
        var chart = cut.FindComponent<MudChart<double>>().Instance;
        Assert.Equal(12, chart.ChartLabels.Length);
        Assert.Equal(3, Assert.Single(chart.ChartSeries).Data.Values.Sum()); // the three in use that expire within 90 days
        var recent = cut.FindAll("[data-testid=recent-audit-entry]");
        Assert.Equal(DashboardPage.RecentEntries, recent.Count);
        Assert.Contains("entry-11", recent[0].TextContent); // newest first
        Assert.Equal("audit", cut.Find("a[data-testid=recent-audit-link]").GetAttribute("href"));
        // Each card opens the grid filtered to what it counts.
        Assert.Equal("tokens?state=pending", cut.Find("[data-testid=count-link-pending]").GetAttribute("href"));
        Assert.Equal("tokens?expires_within=30", cut.Find("[data-testid=expiring-30] a").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=expiry-chart-empty]"));
    }

    [Fact]
    public async Task Render_ReadsAfterChanges_RecentActivityShowsOnlyTheChanges()
    {
        await ArrangeAuditAsync(3);
        await using (var db = Core.NewDb())
        {
            foreach (var read in AuditActions.Reads)
            {
                db.AuditEntries.Add(new AuditEntry
                {
                    Timestamp = DateTime.UtcNow, UserName = "helen", Role = PortalRoles.Helpdesk, Action = read, Success = true, Message = "read",
                });
            }
            await db.SaveChangesAsync();
        }
        LogInAs(PortalRoles.Helpdesk);

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=recent-audit-entry]").Count), Patience);
        Assert.All(cut.FindAll("[data-testid=recent-audit-entry]"), e => Assert.Contains(AuditActions.TokenRevoke, e.TextContent));
    }

    [Fact]
    public void Render_NothingYet_ZerosAndEmptyActivity()
    {
        LogInAs(PortalRoles.Admin);

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForElement("[data-testid=recent-audit-empty]", Patience);
        Assert.NotEmpty(cut.FindAll("[data-testid=count-value]"));
        Assert.All(cut.FindAll("[data-testid=count-value]"), e => Assert.Equal("0", e.TextContent.Trim()));
        Assert.Equal(8, cut.FindAll("[data-testid=count-value]").Count);
        // No bars to draw: the chart says so instead of showing empty axes.
        Assert.Empty(cut.FindComponents<MudChart<double>>());
        Assert.Contains("nothing to chart yet", cut.Find("[data-testid=expiry-chart-empty]").TextContent);
    }

    [Fact]
    public void Render_DatabaseSlow_ShowsLoadingThenCounts()
    {
        LogInAs(PortalRoles.Admin);
        _gate.Close();

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForElement("[data-testid=dashboard-loading]", Patience);
        Assert.Empty(cut.FindAll("[data-testid=count-enrolled]"));
        _gate.Open();
        cut.WaitForElement("[data-testid=count-enrolled]", Patience);
        Assert.Empty(cut.FindAll("[data-testid=dashboard-loading]"));
    }

    [Fact]
    public void Render_EndUser_SentToOwnCertificatesWithoutCounts()
    {
        LogInAs(PortalRoles.User);

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForAssertion(() => Assert.EndsWith("/my", Context.Services.GetRequiredService<NavigationManager>().Uri), Patience);
        Assert.Empty(cut.FindAll("[data-testid=count-enrolled]"));
    }

    [Fact]
    public void Render_AdminOnFreshInstall_ShowsThreeOpenStepsEachLinkingToItsPage()
    {
        LogInAs(PortalRoles.Admin);

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForElement("[data-testid=first-run]", Patience);
        Assert.Equal(
            [("password", "false", "account/password"), ("users", "false", "users"), ("enrol", "false", "enrol")],
            new[] { "password", "users", "enrol" }.Select(k =>
            {
                var item = cut.Find($"[data-testid=first-run-{k}]");
                return (k, item.GetAttribute("data-done"), item.QuerySelector("a[data-testid=first-run-link]")?.GetAttribute("href"));
            }));
        Assert.Contains("Change the first admin's password", cut.Find("[data-testid=first-run-password]").TextContent);
    }

    [Fact]
    public async Task Render_AdminAllStepsDone_NoChecklist()
    {
        await Core.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<PortalUser>>();
            var changed = await users.ChangePasswordAsync((await users.FindByNameAsync("admin"))!, CoreServices.AdminPassword, "Changed-Passw0rd!");
            Assert.True(changed.Succeeded);
            return changed;
        });
        await Core.CreateUserAsync("alice");
        await Core.EnrolCsrAsync("alice", "first-test");
        LogInAs(PortalRoles.Admin);

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForElement("[data-testid=count-enrolled]", Patience);
        Assert.Empty(cut.FindAll("[data-testid=first-run]"));
    }

    [Fact]
    public async Task Render_AdminOneStepDone_TicksItAndLinksTheOthers()
    {
        await Core.CreateUserAsync("alice");
        LogInAs(PortalRoles.Admin);

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForElement("[data-testid=first-run]", Patience);
        Assert.Equal("true", cut.Find("[data-testid=first-run-users]").GetAttribute("data-done"));
        Assert.Empty(cut.FindAll("[data-testid=first-run-users] a"));
        Assert.Equal("false", cut.Find("[data-testid=first-run-password]").GetAttribute("data-done"));
    }

    [Fact]
    public async Task Dismiss_FreshInstall_HiddenNowAndOnTheNextVisit()
    {
        var admin = LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<DashboardPage>();
        cut.WaitForElement("[data-testid=first-run-dismiss]", Patience).Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=first-run]")), Patience);

        // The next visit (any instance) reads the mark from the database.
        var next = await Core.InScopeAsync(sp => sp.GetRequiredService<CertTokenPortal.Core.Dashboard.FirstRunChecklistQuery>().ExecuteAsync(admin));
        Assert.True(next.Value.Dismissed);
        Assert.False(next.Value.Visible);
    }

    [Fact]
    public void Render_HelpdeskOnFreshInstall_NoChecklist()
    {
        LogInAs(PortalRoles.Helpdesk);

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForElement("[data-testid=count-enrolled]", Patience);
        Assert.Empty(cut.FindAll("[data-testid=first-run]"));
    }

    private static int Tile(IRenderedComponent<ContainerFragment> cut, string testId) =>
        int.Parse(cut.Find($"[data-testid={testId}] [data-testid=count-value]").TextContent.Trim());

    private async Task ArrangeTokensAsync()
    {
        var now = DateTime.UtcNow;
        await using var db = Core.NewDb();
        db.Tokens.AddRange(
            TestTokens.New("CRT00000001", RolloutState.Enrolled, now.AddDays(3)),
            TestTokens.New("CRT00000002", RolloutState.Enrolled, now.AddDays(20)),
            TestTokens.New("CRT00000003", RolloutState.Enrolled, now.AddDays(60)),
            TestTokens.New("CRT00000004", RolloutState.Enrolled, now.AddDays(-5)),
            TestTokens.New("CRT00000005", RolloutState.Enrolled, now.AddDays(3), revoked: true),
            TestTokens.New("CRT00000006", RolloutState.Pending, null),
            TestTokens.New("CRT00000007", RolloutState.Pending, null),
            TestTokens.New("CRT00000008", RolloutState.Denied, null),
            TestTokens.New("CRT00000009", RolloutState.Failed, null));
        await db.SaveChangesAsync();
    }

    private async Task ArrangeAuditAsync(int count)
    {
        await using var db = Core.NewDb();
        for (var i = 0; i < count; i++)
        {
            db.AuditEntries.Add(new AuditEntry
            {
                Timestamp = DateTime.UtcNow.AddMinutes(i - count),
                UserName = "helen",
                Role = PortalRoles.Helpdesk,
                Action = AuditActions.TokenRevoke,
                Serial = $"entry-{i}",
                Success = true,
                Message = "revoked",
            });
        }
        await db.SaveChangesAsync();
    }
}
