using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CertTokenPortal.Tests.Browser;

/// <summary>The token pages in a real browser: enrolment wizard, grid, token page and My certificates.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class TokenBrowserTests(BrowserPortal portal)
{
    [Fact]
    public async Task Enrol_AdminUploadsOpenSslCsr_TokenIsInTheGrid()
    {
        var owner = await CreateUserAsync("csr", PortalRoles.User);
        using var dir = new TempDirectory("ctp-browser");
        // The user template binds names to the owner: the CSR carries the owner's user name as its CN, nothing else.
        TestPki.OpenSslCsr(dir, ["rsa:2048"], $"/CN={owner}");
        var page = await portal.NewPageAsync();
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);

        await OpenWizardAsync(page);
        await page.Locator("input[data-testid=csr-file]").SetInputFilesAsync(dir.File("req.csr"));
        // .NET writes distinguished names most specific part first.
        await Assertions.Expect(page.GetByTestId("csr-subject")).ToHaveTextAsync($"CN={owner}");
        await Assertions.Expect(page.GetByTestId("csr-signature")).ToHaveTextAsync("Signature valid");
        await Assertions.Expect(page.GetByTestId("csr-key")).ToHaveTextAsync("RSA 2048");
        await BrowserPortal.ScreenshotAsync(page, "enrol-wizard-csr-checked");
        await NextAsync(page, 1);
        await Assertions.Expect(page.Locator("input[data-testid=enrol-template-user]")).ToBeCheckedAsync();
        await BrowserPortal.ScreenshotAsync(page, "enrol-wizard-ca-step");
        await NextAsync(page, 2);
        await ChooseOwnerAsync(page, owner);
        await NextAsync(page, 3); // a CSR's key stays where it was made: no protection step
        await Assertions.Expect(page.GetByTestId("review-owner")).ToHaveTextAsync($"{owner} · realm default");
        await page.GetByTestId("enrol-submit").ClickAsync();

        await Assertions.Expect(page.GetByTestId("enrol-result-enrolled")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("cert-subject")).ToHaveTextAsync($"CN={owner}");
        var serial = (await page.GetByTestId("enrol-result").GetAttributeAsync("data-serial"))!;
        await BrowserPortal.ScreenshotAsync(page, "enrol-result-csr");

        await page.GetByTestId("nav-tokens").ClickAsync();
        await Assertions.Expect(page.GetByTestId("tokens-title")).ToBeVisibleAsync();
        await page.GetByTestId("tokens-search").FillAsync(owner);
        await Assertions.Expect(page.GetByTestId("token-serial")).ToHaveCountAsync(1);
        var row = GridRow(page, serial);
        await Assertions.Expect(row.GetByTestId("token-owner")).ToHaveTextAsync(owner);
        await Assertions.Expect(row.GetByTestId("token-state")).ToHaveTextAsync("enrolled");
        await Assertions.Expect(row.GetByTestId("token-expiry")).ToHaveTextAsync(new Regex(@"expires in 36[45] days"));
        await BrowserPortal.ScreenshotAsync(page, "tokens-grid");
        await Assertions.Expect(row.GetByTestId("token-expiry")).ToBeInViewportAsync(new LocatorAssertionsToBeInViewportOptions { Ratio = 1 });
        await AssertFitsWidthAsync(page, "the token grid");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Enrol_AdminGeneratesKeyWithPin_DownloadedPkcs12OpensWithThePin()
    {
        const string pin = "Browser-PIN-1234";
        var owner = await CreateUserAsync("p12", PortalRoles.User);
        using var dir = new TempDirectory("ctp-browser");
        var page = await portal.NewPageAsync();
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);

        await OpenWizardAsync(page);
        await page.GetByTestId("enrol-method-genkey").CheckAsync();
        await page.GetByTestId("enrol-key-rsa-2048").CheckAsync();
        await NextAsync(page, 1);
        await NextAsync(page, 2);
        await ChooseOwnerAsync(page, owner);
        await NextAsync(page, 3);
        await page.GetByTestId("enrol-use-pin").CheckAsync(); // staff start with the random password
        await page.GetByTestId("enrol-pin").FillAsync(pin);
        await page.GetByTestId("enrol-pin-confirmation").FillAsync(pin);
        await BrowserPortal.ScreenshotAsync(page, "enrol-wizard-protection-step");
        await NextAsync(page, 4);
        await page.GetByTestId("enrol-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("enrol-download-pkcs12")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("enrol-password")).ToHaveCountAsync(0);
        await BrowserPortal.ScreenshotAsync(page, "enrol-result-genkey");
        await AssertFitsWidthAsync(page, "the enrolment result");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("enrol-download-pkcs12").ClickAsync());
        var file = dir.File("token.p12");
        await download.SaveAsAsync(file);

        var serial = (await page.GetByTestId("enrol-result").GetAttributeAsync("data-serial"))!;
        Assert.Equal($"{serial}.p12", download.SuggestedFilename);
        ExternalTool.OpenSsl("pkcs12", "-in", file, "-passin", $"pass:{pin}", "-noout");
        Assert.NotEqual(0, ExternalTool.Run("openssl", ["pkcs12", "-in", file, "-passin", "pass:wrong-pin", "-noout"]).ExitCode);
        using var opened = X509CertificateLoader.LoadPkcs12FromFile(file, pin);
        Assert.True(opened.HasPrivateKey);
        Assert.Equal($"CN={owner}", opened.Subject);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Revoke_AdminFromTheGrid_StateChangesAndTokenPageSaysWhy()
    {
        var owner = await CreateUserAsync("rev", PortalRoles.User);
        var token = await EnrolAsync(owner, $"{owner}-device");
        var page = await portal.NewPageAsync();
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);
        await page.GotoAsync("tokens");
        await BrowserPortal.WaitForCircuitAsync(page);

        await page.GetByTestId("tokens-search").FillAsync(token.Serial);
        await Assertions.Expect(page.GetByTestId("token-serial")).ToHaveCountAsync(1);
        var row = GridRow(page, token.Serial);
        await Assertions.Expect(row.GetByTestId("token-state")).ToHaveTextAsync("enrolled");
        await page.GetByTestId($"token-revoke-{token.Serial}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("revoke-question")).ToContainTextAsync(token.Serial);
        await page.GetByTestId("revoke-reason").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "superseded" }).ClickAsync();
        await page.GetByTestId("revoke-confirm").ClickAsync();

        await Assertions.Expect(row.GetByTestId("token-state")).ToHaveTextAsync("revoked");
        await Assertions.Expect(page.GetByTestId($"token-revoke-{token.Serial}")).ToHaveCountAsync(0);
        await row.GetByTestId("token-subject").ClickAsync();
        // A client-side navigation has no load event to wait for: poll the address instead.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/tokens/{token.Serial}$"));
        await Assertions.Expect(page.GetByTestId("token-revocation")).ToContainTextAsync("superseded");
        await Assertions.Expect(page.GetByTestId("cert-fingerprint")).ToBeVisibleAsync();
        await BrowserPortal.ScreenshotAsync(page, "token-page");
        await AssertFitsWidthAsync(page, "the token page");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Enrol_UserForThemself_SeesOwnTokensOnlyAndNoCaPages()
    {
        var user = await CreateUserAsync("self", PortalRoles.User);
        var someoneElse = await CreateUserAsync("other", PortalRoles.User);
        var othersToken = await EnrolAsync(someoneElse, $"{someoneElse}-device");
        var page = await portal.NewPageAsync();
        await BrowserPortal.LoginAsync(page, user, PortalUsers.Password);

        await Assertions.Expect(page.GetByTestId("my-empty")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("nav-tokens")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("nav-ca")).ToHaveCountAsync(0);
        await page.GetByTestId("my-enrol").ClickAsync();
        await Assertions.Expect(page.GetByTestId("enrol-method-genkey")).ToBeVisibleAsync();
        await BrowserPortal.WaitForCircuitAsync(page);
        await page.GetByTestId("enrol-method-genkey").CheckAsync();
        await page.GetByTestId("enrol-key-ec-P-256").CheckAsync();
        await NextAsync(page, 1);
        await NextAsync(page, 2); // the user is the owner: no owner step
        await page.GetByTestId("enrol-random-password").CheckAsync();
        await NextAsync(page, 3);
        await Assertions.Expect(page.GetByTestId("review-owner")).ToContainTextAsync($"{user} · realm default, yourself");
        await page.GetByTestId("enrol-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("enrol-password-warning")).ToContainTextAsync("not shown again");
        await Assertions.Expect(page.GetByTestId("enrol-password")).Not.ToBeEmptyAsync();
        var serial = (await page.GetByTestId("enrol-result").GetAttributeAsync("data-serial"))!;

        // Leaving before the file is downloaded asks first; this user confirms, as one who does not need the file would.
        await page.GetByTestId("nav-my").ClickAsync();
        await Assertions.Expect(page.GetByTestId("confirm-dialog")).ToContainTextAsync("You have not taken the PKCS#12 file and its password yet.");
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(page.GetByTestId("my-token")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("my-token")).ToHaveAttributeAsync("data-serial", serial);
        await Assertions.Expect(page.Locator($"[data-serial={othersToken.Serial}]")).ToHaveCountAsync(0);
        await BrowserPortal.ScreenshotAsync(page, "my-certificates");

        await page.GotoAsync($"tokens/{othersToken.Serial}");
        await BrowserPortal.WaitForCircuitAsync(page);
        // Another user's token answers as not found: the page does not reveal that the serial exists.
        await Assertions.Expect(page.GetByTestId("token-error")).ToHaveTextAsync($"There is no token with serial '{othersToken.Serial}'.");
        await page.GotoAsync("tokens");
        await BrowserPortal.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("tokens-grid")).ToHaveCountAsync(0);
        await page.GotoAsync("cas");
        await BrowserPortal.WaitForCircuitAsync(page);
        if (RouteExists("/cas"))
        {
            await Assertions.Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
            Assert.Contains("/access-denied", page.Url);
        }
        else
        {
            // Until the CA pages are merged, nothing answers at /cas; the user still sees no CA content.
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Not found");
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TokenPages_PhoneSize_FitTheScreenWidth()
    {
        var owner = await CreateUserAsync("phone", PortalRoles.User);
        var token = await EnrolAsync(owner, $"{owner}-a-rather-long-common-name-for-a-small-screen");
        var page = await portal.NewPageAsync(new ViewportSize { Width = 390, Height = 844 });
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);

        foreach (var (path, marker) in new[]
                 {
                     ("tokens", "token-serial"), ($"tokens/{token.Serial}", "certificate-fields"), ("enrol", "enrol-method-csr"), ("my", "my-title"),
                 })
        {
            await page.GotoAsync(path);
            await BrowserPortal.WaitForCircuitAsync(page);
            await Assertions.Expect(page.GetByTestId(marker).First).ToBeVisibleAsync();
            await BrowserPortal.ScreenshotAsync(page, $"phone-{(path.StartsWith("tokens/") ? "token-page" : path)}");
            await AssertFitsWidthAsync(page, path);
        }
        await page.Context.CloseAsync();
    }

    private static async Task AssertFitsWidthAsync(IPage page, string what)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{what} is {overflow}px wider than the {page.ViewportSize?.Width}px screen.");
    }

    private async Task<string> CreateUserAsync(string prefix, string role)
    {
        var name = $"{prefix}{Guid.NewGuid().ToString("N")[..6]}";
        await portal.Portal.CreateUserAsync(name, role);
        return name;
    }

    private async Task<TokenView> EnrolAsync(string owner, string commonName)
    {
        await using var scope = portal.Portal.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<EnrolTokenCommand>()
            .ExecuteAsync(TestPki.Helpdesk, new EnrolmentRequest { UserName = owner, CaName = "localCA", TemplateName = "server", Csr = TestCsrs.Rsa(commonName) });
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value.Token;
    }

    private static async Task OpenWizardAsync(IPage page)
    {
        await page.GetByTestId("nav-enrol").ClickAsync();
        await Assertions.Expect(page.GetByTestId("enrol-wizard")).ToHaveAttributeAsync("data-step", "0");
        await BrowserPortal.WaitForCircuitAsync(page);
    }

    private static async Task NextAsync(IPage page, int expectedStep)
    {
        await page.GetByTestId("enrol-next").ClickAsync();
        await Assertions.Expect(page.GetByTestId("enrol-wizard")).ToHaveAttributeAsync("data-step", expectedStep.ToString());
    }

    private static async Task ChooseOwnerAsync(IPage page, string userName)
    {
        await page.Locator("input[data-testid=enrol-owner]").FillAsync(userName);
        await page.Locator($"[data-testid=enrol-owner-option][data-user={userName}]").ClickAsync();
        await Assertions.Expect(page.Locator("input[data-testid=enrol-owner]")).ToHaveValueAsync($"{userName} · realm default");
    }

    private static ILocator GridRow(IPage page, string serial) =>
        page.GetByTestId("tokens-grid").Locator("tr").Filter(new LocatorFilterOptions { Has = page.GetByTestId("token-serial").GetByText(serial) });

    /// <summary>Whether a page of this build answers at <paramref name="route"/>.</summary>
    private static bool RouteExists(string route) =>
        typeof(Program).Assembly.GetTypes().Any(t => t.GetCustomAttributes<RouteAttribute>().Any(r => r.Template == route));
}
