using CertTokenPortal.Tests.Browser;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CertTokenPortal.Tests.Hosting;

/// <summary>
/// The README's production run: the output of <c>dotnet publish -c Release</c>, started with <c>dotnet
/// CertTokenPortal.dll</c> in Production, serves a working UI — every script, style sheet and font answers 200 and the
/// interactive circuit comes up.
/// </summary>
[Trait("Category", "Browser")]
public sealed class PublishedPortalBrowserTests
{
    [Fact]
    public async Task PublishedOutput_Production_LoginPageLoadsEveryAssetAndGoesInteractive()
    {
        using var data = new TempDirectory("ctp-published-data");
        await using var portal = await PortalProcess.StartAsync(await PublishedPortal.GetDllAsync(), CoreServices.Settings(data.Path, new Dictionary<string, string?>()));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserPortal.ChromiumPath, Headless = true, Args = ["--headless", "--no-sandbox", "--disable-gpu"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = portal.BaseAddress.ToString() });
        var answers = new List<(string Url, int Status)>();
        page.Response += (_, response) =>
        {
            lock (answers)
            {
                answers.Add((response.Url, response.Status));
            }
        };

        await page.GotoAsync("login", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle, Timeout = 60_000 });
        await page.Locator("#circuit-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });

        lock (answers)
        {
            Assert.Contains(answers, a => a.Url.Contains("/_framework/blazor.web.", StringComparison.Ordinal));
            Assert.Contains(answers, a => a.Url.Contains("/_content/MudBlazor/", StringComparison.Ordinal));
            Assert.All(answers, a => Assert.True(a.Status is >= 200 and < 400, $"{a.Url} answered {a.Status}. Portal output: {portal.Output}"));
        }
    }
}
