using System.Net;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace CertTokenPortal.Tests.Browser;

/// <summary>
/// The portal as a real Kestrel server on a loopback port (throw-away data directory, as <see cref="PortalFactory"/>)
/// and one headless Debian chromium driven by Playwright. Shared by every browser test through
/// <see cref="BrowserCollection"/>; each test takes its own page (and so its own cookies) from <see cref="NewPageAsync"/>.
/// </summary>
public sealed class BrowserPortal : IAsyncLifetime
{
    /// <summary>Debian's chromium (installed by .ci/run); Playwright's own browser download is not available here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>
    /// Generous on purpose: CI has two cores shared with the other tests, and the first circuit of a fresh server
    /// compiles a lot. Waits end as soon as their condition holds, so a fast machine does not pay for this.
    /// </summary>
    public const float TimeoutMs = 60_000;

    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    /// <summary>
    /// The browser server's warnings and errors, for the messages of failed waits. Static because the waits are; there
    /// is one browser server per test run (<see cref="BrowserCollection"/>).
    /// </summary>
    private static readonly ServerProblemLog Problems = new();

    private readonly KestrelPortalFactory _factory = new();
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>The server, for arranging data through its services and asserting on its database.</summary>
    public PortalFactory Portal => _factory;

    public const string AdminPassword = PortalFactory.AdminPassword;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"The browser tests need Debian's chromium at {ChromiumPath}: apt-get install chromium (.ci/run does).");
        }
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.Single().TrimEnd('/') + "/");

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = TimeoutMs,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        await _factory.DisposeAsync();
    }

    /// <summary>A page in a fresh browser context (no cookies), 1280x720 unless a phone-sized <paramref name="viewport"/> is asked for.</summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 720 },
        });
        context.SetDefaultTimeout(TimeoutMs);
        context.SetDefaultNavigationTimeout(TimeoutMs);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Waits until the interactive circuit is up (the layouts then render the hidden <c>#circuit-ready</c> marker).
    /// Before that the page is the prerendered HTML, and a click on it is lost.
    /// </summary>
    public static Task WaitForCircuitAsync(IPage page) =>
        ExplainTimeoutAsync(page, "the interactive circuit",
            () => page.Locator("#circuit-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached }));

    /// <summary>Logs in through the real login page and waits for the page it leads to to become interactive.</summary>
    public static async Task LoginAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync("login");
        await WaitForCircuitAsync(page);
        await FillLoginAsync(page, userName, password);
        // The form posts to the login endpoint, which redirects to a new page (the start page, or the login page
        // with an error); either has another URL, and a new circuit to wait for. The address is read in the page, as
        // WaitForPathAsync does: once the redirect had landed before the wait began, Playwright's URL wait found the
        // URL changed and then waited for a "commit" that had already happened, until its time-out (the page was fine).
        var loginUrl = await page.EvaluateAsync<string>("location.href");
        await page.GetByTestId("login-submit").ClickAsync();
        await ExplainTimeoutAsync(page, "the page after the login",
            () => page.WaitForFunctionAsync("url => location.href !== url", loginUrl, new PageWaitForFunctionOptions { PollingInterval = 100 }));
        await WaitForCircuitAsync(page);
    }

    /// <summary>
    /// Fills the login form until both fields hold what was typed. The user name field takes the focus once the circuit
    /// has rendered (MudBlazor's AutoFocus runs after the first interactive render); under load that came while the
    /// password was being typed, and the password landed in the user name field (seen on CI: "adminAdmin-Passw0rd!").
    /// </summary>
    private static async Task FillLoginAsync(IPage page, string userName, string password)
    {
        var user = page.GetByTestId("login-username");
        var secret = page.GetByTestId("login-password");
        for (var attempt = 1; ; attempt++)
        {
            await user.FillAsync(userName);
            await secret.FillAsync(password);
            if (await user.InputValueAsync() == userName && await secret.InputValueAsync() == password || attempt == 5)
            {
                return;
            }
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Waits until the page's own address ends with <paramref name="path"/>, as after the app's client-side navigation.
    /// The address is read in the page (location.pathname), not from Playwright's record of navigations: on CI a
    /// failed wait once showed the page already at the new address while the recorded URL never changed.
    /// </summary>
    public static Task WaitForPathAsync(IPage page, string path) =>
        ExplainTimeoutAsync(page, path,
            () => page.WaitForFunctionAsync("path => location.pathname.endsWith(path)", path, new PageWaitForFunctionOptions { PollingInterval = 100 }));

    /// <summary>
    /// Runs a wait; when it times out, the failure says what the page showed instead (its snackbars, alerts and
    /// dialogs), what the server logged meanwhile, and leaves a screenshot, so that a failure on CI can be explained.
    /// </summary>
    private static async Task ExplainTimeoutAsync(IPage page, string waitingFor, Func<Task> wait)
    {
        var started = DateTimeOffset.UtcNow;
        try
        {
            await wait();
        }
        catch (TimeoutException e)
        {
            var shown = await page.Locator(".mud-snackbar, .mud-alert, .mud-dialog").AllInnerTextsAsync();
            var screenshot = await ScreenshotAsync(page, "failed-" + Guid.NewGuid().ToString("N")[..8]);
            throw new TimeoutException(
                $"Waited {(DateTimeOffset.UtcNow - started).TotalSeconds:F0} s for {waitingFor} at {page.Url} " +
                $"(the page's own address: {await page.EvaluateAsync<string>("location.href")}). " +
                $"The page showed: [{string.Join(" | ", shown)}]. The server logged: [{string.Join(Environment.NewLine, Problems.Since(started))}]. " +
                $"Thread pool: {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} work items waiting. Screenshot: {screenshot}", e);
        }
    }

    /// <summary>Saves a full-page PNG under <c>screenshots/</c> in the test output folder; returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>The portal on Kestrel instead of the in-memory test server, so that a browser can reach it.</summary>
    private sealed class KestrelPortalFactory : PortalFactory
    {
        public KestrelPortalFactory() => UseKestrel(o => o.Listen(IPAddress.Loopback, 0));


        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // Outside Development, static web assets (MudBlazor's CSS and JS under _content/) are only served from a
            // published folder; the tests run from the build output.
            builder.UseStaticWebAssets();
            builder.ConfigureLogging(logging => logging.AddProvider(Problems));
        }
    }
}

/// <summary>
/// Browser tests share one server and one chromium and run one after another: in parallel they would fight for
/// CI's two cores and time out.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserPortal>
{
    public const string Name = "Browser";
}
