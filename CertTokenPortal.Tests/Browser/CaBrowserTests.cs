using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CertTokenPortal.Tests.Browser;

/// <summary>The CA pages in a real browser: an admin's round trip, helpdesk read-only, end users kept out, phone width.</summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class CaBrowserTests(BrowserPortal portal) : IDisposable
{
    // Playwright's assertions wait 5 s by default; CI shares two cores, so they wait as long as the page actions do.
    static CaBrowserTests() => Assertions.SetDefaultExpectTimeout(BrowserPortal.TimeoutMs);

    private readonly TempDirectory _dir = new("ctp-ca-browser");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Cas_AdminCreatesRootCaAddsTemplateAndPublishesCrl_AllShown()
    {
        var page = await portal.NewPageAsync();
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);
        await page.GetByTestId("nav-ca").ClickAsync();
        await Assertions.Expect(page.GetByTestId("cas-title")).ToBeVisibleAsync();
        Assert.EndsWith("/cas", page.Url);

        var name = "browser-" + Guid.NewGuid().ToString("N")[..6];
        await page.GetByTestId("ca-create").ClickAsync();
        await page.GetByTestId("create-ca-name").FillAsync(name);
        await page.GetByTestId("create-ca-subject").FillAsync($"CN={name} Root,O=Example");
        await page.GetByTestId("create-ca-key").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").GetByText("EC P-256", new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await BrowserPortal.ScreenshotAsync(page, "ca-create-dialog");
        await page.GetByTestId("create-ca-submit").ClickAsync();

        // A new CA opens on its own page, where its templates are made.
        await BrowserPortal.WaitForPathAsync(page, $"/cas/{name}");
        await Assertions.Expect(page.GetByTestId("ca-subject")).ToHaveTextAsync($"CN={name} Root, O=Example");
        await Assertions.Expect(page.GetByTestId("ca-key")).ToHaveTextAsync("EC P-256");
        await Assertions.Expect(page.GetByTestId("templates-empty")).ToBeVisibleAsync();

        await page.GetByTestId("template-create").ClickAsync();
        await page.GetByTestId("template-name-input").FillAsync("laptop");
        await page.GetByTestId("template-days-input").FillAsync("90");
        await page.GetByTestId("eku-emailProtection").ClickAsync();
        await BrowserPortal.ScreenshotAsync(page, "ca-template-dialog");
        await page.GetByTestId("template-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("template-name")).ToHaveTextAsync("laptop");
        await Assertions.Expect(page.GetByTestId("template-default")).ToBeVisibleAsync(); // a CA's first template is its default
        await Assertions.Expect(page.GetByTestId("template-eku")).ToHaveTextAsync("clientAuth, emailProtection");

        await Assertions.Expect(page.GetByTestId("crl-number")).ToHaveTextAsync("1");
        await page.GetByTestId("crl-publish").ClickAsync();
        await Assertions.Expect(page.GetByTestId("crl-number")).ToHaveTextAsync("2");
        await BrowserPortal.ScreenshotAsync(page, "ca-details");

        // The certificate the page offers is the one it describes (openssl reads the real download).
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("ca-download-pem").ClickAsync());
        var saved = _dir.File("ca.pem");
        await download.SaveAsAsync(saved);
        var fingerprint = ExternalTool.OpenSsl("x509", "-in", saved, "-noout", "-fingerprint", "-sha256").StdOut.Trim().Split('=', 2)[1];
        await Assertions.Expect(page.GetByTestId("ca-fingerprint")).ToHaveTextAsync(fingerprint);

        await page.GetByTestId("ca-back").ClickAsync();
        var row = page.Locator("tr").Filter(new LocatorFilterOptions { Has = page.GetByTestId("ca-name").GetByText(name, new LocatorGetByTextOptions { Exact = true }) });
        await Assertions.Expect(row.GetByTestId("ca-list-templates")).ToHaveTextAsync("1");
        await Assertions.Expect(row.GetByTestId("ca-list-crl")).ToContainTextAsync("#2, next");
        await BrowserPortal.ScreenshotAsync(page, "ca-list");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Cas_AdminImportsPkcs12File_CaListedWithItsSubject()
    {
        const string password = "Import-Passw0rd";
        ExternalTool.OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes", "-keyout", _dir.File("root.key"),
            "-subj", "/CN=Browser Import Root", "-days", "30", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", _dir.File("root.pem"));
        ExternalTool.OpenSsl("pkcs12", "-export", "-in", _dir.File("root.pem"), "-inkey", _dir.File("root.key"),
            "-passout", $"pass:{password}", "-out", _dir.File("root.p12"));
        var page = await portal.NewPageAsync();
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);
        await page.GotoAsync("cas");
        await BrowserPortal.WaitForCircuitAsync(page);

        var name = "imported-" + Guid.NewGuid().ToString("N")[..6];
        await page.GetByTestId("ca-import").ClickAsync();
        await page.GetByTestId("import-ca-name").FillAsync(name);
        await page.GetByTestId("import-ca-format-pkcs12").ClickAsync();
        // The hidden file input behind the "Choose PKCS#12 file" button, as a browser fills it after the file dialog.
        // Blazor's InputFile listens for the file only once its script has set the input up (it marks the element
        // then); a file given before that is lost, so the test waits for the mark instead of guessing a delay.
        const string fileInput = "input[type=file][data-testid=import-ca-pkcs12-file]";
        await page.WaitForFunctionAsync($"() => document.querySelector('{fileInput}')?._blazorInputFileNextFileId !== undefined");
        await page.Locator(fileInput).SetInputFilesAsync(_dir.File("root.p12"));
        await Assertions.Expect(page.GetByTestId("import-ca-pkcs12-name")).ToHaveTextAsync("root.p12");
        await page.GetByTestId("import-ca-pkcs12-password").FillAsync(password);
        await BrowserPortal.ScreenshotAsync(page, "ca-import-dialog");
        await page.GetByTestId("import-ca-submit").ClickAsync();

        await BrowserPortal.WaitForPathAsync(page, $"/cas/{name}");
        await Assertions.Expect(page.GetByTestId("ca-subject")).ToHaveTextAsync("CN=Browser Import Root");
        await Assertions.Expect(page.GetByTestId("ca-key")).ToHaveTextAsync("EC P-384");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Cas_Helpdesk_SeesTheCaWithoutButtons()
    {
        var user = "hd" + Guid.NewGuid().ToString("N")[..6];
        await CreateUserAsync(portal, user, PortalRoles.Helpdesk);
        var page = await portal.NewPageAsync();
        await BrowserPortal.LoginAsync(page, user, PortalUsers.Password);

        await page.GotoAsync("cas/localCA");
        await BrowserPortal.WaitForCircuitAsync(page);

        await Assertions.Expect(page.GetByTestId("crl-number")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("template-name").First).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-testid=crl-publish], [data-testid=template-create], [data-testid^=template-edit-], [data-testid^=template-delete-]").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Cas_EndUser_AccessDeniedAndNoNavLink()
    {
        var user = "u" + Guid.NewGuid().ToString("N")[..6];
        await CreateUserAsync(portal, user, PortalRoles.User);
        var page = await portal.NewPageAsync();
        await BrowserPortal.LoginAsync(page, user, PortalUsers.Password);

        await page.GotoAsync("cas");
        await BrowserPortal.WaitForCircuitAsync(page);

        await Assertions.Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByTestId("nav-ca").CountAsync());
        Assert.Equal(0, await page.GetByTestId("cas-title").CountAsync());
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("cas", "cas-title", "ca-list-phone")]
    [InlineData("cas/localCA", "ca-fingerprint", "ca-details-phone")]
    public async Task Cas_PhoneSize_FitTheScreenWidth(string path, string testId, string screenshot)
    {
        var page = await portal.NewPageAsync(new ViewportSize { Width = 390, Height = 844 });
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);
        await page.GotoAsync(path);
        await BrowserPortal.WaitForCircuitAsync(page);

        await Assertions.Expect(page.GetByTestId(testId)).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        await BrowserPortal.ScreenshotAsync(page, screenshot);
        Assert.True(overflow <= 0, $"{path} is {overflow}px wider than a phone screen.");
        await page.Context.CloseAsync();
    }

    /// <summary>An account made through the running server's own services (PortalUsers asks for the in-memory test server, which Kestrel has not).</summary>
    internal static async Task CreateUserAsync(BrowserPortal portal, string userName, string role)
    {
        using var scope = portal.Portal.Services.CreateScope();
        var created = await scope.ServiceProvider.GetRequiredService<CreateUserCommand>()
            .ExecuteAsync(Actor.System, new NewUser(userName, PortalUsers.Password, $"{userName}@example.test", "default", role));
        Assert.True(created.IsSuccess, created.Error?.Message);
    }
}
