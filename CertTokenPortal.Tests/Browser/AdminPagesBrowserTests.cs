using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Tokens.Lifecycle;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using CertTokenPortal.Core.CaConnectors.Local.Administration;
using CertTokenPortal.Core.CaConnectors.Templates;

namespace CertTokenPortal.Tests.Browser;

/// <summary>
/// The dashboard and the audit log in a real browser, on data made through the running portal's own Core services.
/// The server is shared with the other browser tests (which run one after another), so counts are compared before
/// and after this test's own changes.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AdminPagesBrowserTests(BrowserPortal portal)
{
    private static readonly Actor Admin = new("admin", "default", PortalRoles.Admin, "127.0.0.1");

    // Playwright's assertions wait 5 s by default; CI shares two cores, so they wait as long as the page actions do.
    static AdminPagesBrowserTests() => Assertions.SetDefaultExpectTimeout(BrowserPortal.TimeoutMs);

    [Fact]
    public async Task Dashboard_AfterEnrolmentsAndARevocation_CountsMoveByThat()
    {
        var page = await portal.NewPageAsync();
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);
        await Assertions.Expect(page.GetByTestId("count-enrolled")).ToBeVisibleAsync();
        var before = await CountsAsync(page);

        // Two certificates valid 20 days from a CA of this test's own; one of them revoked.
        var unique = Guid.NewGuid().ToString("N")[..6];
        var ca = $"dash-{unique}";
        var owner = $"dash{unique}";
        await CaBrowserTests.CreateUserAsync(portal, owner, PortalRoles.User);
        await InScopeAsync(sp => sp.GetRequiredService<CreateLocalRootCaCommand>().ExecuteAsync(Admin, new NewRootCaRequest(ca, $"CN={ca}") { KeyType = "ec" }));
        await InScopeAsync(sp => sp.GetRequiredService<SetTemplateCommand>().ExecuteAsync(Admin, ca,
            new TemplateRequest("short", 20) { KeyUsage = "digitalSignature", ExtendedKeyUsage = "clientAuth", SubjectSource = "csr", AllowedRdns = "CN" }));
        var first = await EnrolAsync(owner, ca, $"{owner}-1");
        await EnrolAsync(owner, ca, $"{owner}-2");
        await InScopeAsync(sp => sp.GetRequiredService<RevokeTokenCommand>().ExecuteAsync(Admin, first.Token.Serial, "superseded"));

        await page.ReloadAsync();
        await BrowserPortal.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByTestId("count-enrolled")).ToBeVisibleAsync();
        var after = await CountsAsync(page);

        Assert.Equal(before["count-enrolled"] + 1, after["count-enrolled"]);
        Assert.Equal(before["count-revoked"] + 1, after["count-revoked"]);
        Assert.Equal(before["expiring-7"], after["expiring-7"]);
        Assert.Equal(before["expiring-30"] + 1, after["expiring-30"]);
        Assert.Equal(before["expiring-90"] + 1, after["expiring-90"]);
        foreach (var unchanged in new[] { "count-pending", "count-denied", "count-failed" })
        {
            Assert.Equal(before[unchanged], after[unchanged]);
        }
        await Assertions.Expect(page.GetByTestId("recent-audit-entry").First).ToContainTextAsync($"{AuditActions.TokenRevoke} {first.Token.Serial}");
        await Assertions.Expect(page.GetByTestId("expiry-chart").Locator("svg").First).ToBeVisibleAsync();
        await BrowserPortal.ScreenshotAsync(page, "dashboard");

        await page.GetByTestId("recent-audit-link").ClickAsync();
        await Assertions.Expect(page.GetByTestId("audit-title")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AuditLog_FilterByAction_ShowsOnlyThatAction()
    {
        var ca = $"audit-{Guid.NewGuid().ToString("N")[..6]}";
        await InScopeAsync(sp => sp.GetRequiredService<CreateLocalRootCaCommand>().ExecuteAsync(Admin, new NewRootCaRequest(ca, $"CN={ca}") { KeyType = "ec" }));
        var page = await portal.NewPageAsync();
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);
        await page.GetByTestId("nav-audit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("audit-title")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("audit-message").First).ToBeVisibleAsync();

        await page.GetByTestId("audit-action-filter").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText(AuditActions.CaCreate, new LocatorGetByTextOptions { Exact = true }).ClickAsync();

        // Newest first: the CA made above heads the filtered list, and every row is a CA creation.
        await Assertions.Expect(page.GetByTestId("audit-message").First).ToContainTextAsync($"Created local root CA '{ca}'");
        var actions = await page.GetByTestId("audit-action").AllTextContentsAsync();
        Assert.NotEmpty(actions);
        Assert.NotEmpty(actions);
        Assert.All(actions, a => Assert.Equal(AuditActions.CaCreate, a.Trim()));
        await BrowserPortal.ScreenshotAsync(page, "audit-log");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("", "count-enrolled", "dashboard-phone")]
    [InlineData("audit", "audit-message", "audit-log-phone")]
    public async Task AdminPages_PhoneSize_FitTheScreenWidth(string path, string testId, string screenshot)
    {
        var page = await portal.NewPageAsync(new ViewportSize { Width = 390, Height = 844 });
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);
        await page.GotoAsync(path);
        await BrowserPortal.WaitForCircuitAsync(page);

        await Assertions.Expect(page.GetByTestId(testId).First).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        await BrowserPortal.ScreenshotAsync(page, screenshot);
        Assert.True(overflow <= 0, $"/{path} is {overflow}px wider than a phone screen.");
        await page.Context.CloseAsync();
    }

    private static async Task<Dictionary<string, int>> CountsAsync(IPage page)
    {
        var counts = new Dictionary<string, int>();
        foreach (var tile in new[] { "count-enrolled", "count-pending", "count-denied", "count-failed", "count-revoked", "expiring-7", "expiring-30", "expiring-90" })
        {
            counts[tile] = int.Parse(await page.GetByTestId(tile).GetByTestId("count-value").InnerTextAsync());
        }
        return counts;
    }

    private async Task<EnrolmentResult> EnrolAsync(string owner, string ca, string commonName) =>
        await InScopeAsync(sp => sp.GetRequiredService<EnrolTokenCommand>().ExecuteAsync(Admin,
            new EnrolmentRequest { UserName = owner, Realm = "default", CaName = ca, TemplateName = "short", Csr = TestCsrs.Ec(commonName) }));

    private async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<Result<T>>> action)
    {
        using var scope = portal.Portal.Services.CreateScope();
        var result = await action(scope.ServiceProvider);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }
}
