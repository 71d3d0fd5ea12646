using System.Diagnostics;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Tests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CertTokenPortal.Tests.Browser;

/// <summary>
/// axe-core (injected by Deque.AxeCore.Playwright) on every page a role can open and on every step of the enrolment
/// wizard, in the light and the dark theme, on a laptop (1280x800) and a phone (390x844). A serious or critical
/// violation fails the test; every scanned state leaves a screenshot under <c>screenshots/axe-*</c> in the test output.
/// The pages are those of the role's navigation (so a page added to the menu is scanned without changing this test),
/// plus a token page, a CA page, the password page and the login page; and the dialogs met most (revoke, renew, new
/// root and subordinate CA), opened and scanned in both themes at laptop size.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class AccessibilityBrowserTests(BrowserPortal portal, ITestOutputHelper output)
{
    private static readonly string[] FailingImpacts = ["serious", "critical"];

    public static TheoryData<string, int, int> RolesAndSizes => new()
    {
        { PortalRoles.Admin, 1280, 800 },
        { PortalRoles.Admin, 390, 844 },
        { PortalRoles.Helpdesk, 1280, 800 },
        { PortalRoles.Helpdesk, 390, 844 },
        { PortalRoles.User, 1280, 800 },
        { PortalRoles.User, 390, 844 },
    };

    [Theory]
    [MemberData(nameof(RolesAndSizes))]
    public async Task EveryPageAndWizardStep_RoleSizeAndBothThemes_NoSeriousOrCriticalViolation(string role, int width, int height)
    {
        var watch = Stopwatch.StartNew();
        var (userName, password) = role == PortalRoles.Admin ? ("admin", BrowserPortal.AdminPassword) : (await CreateUserAsync(role), PortalUsers.Password);
        var owner = role == PortalRoles.User ? userName : await CreateUserAsync(PortalRoles.User);
        var serial = await EnrolAsync(owner);
        var page = await portal.NewPageAsync(new ViewportSize { Width = width, Height = height });
        var size = $"{width}x{height}";
        var violations = new List<string>();
        var scanned = 0;

        foreach (var theme in new[] { "light", "dark" })
        {
            // The portal remembers the theme in local storage; the layout reads it when the circuit starts.
            await page.Context.AddInitScriptAsync($"localStorage.setItem('portal.theme', '{theme}')");
            if (theme == "light")
            {
                await page.GotoAsync("login");
                await BrowserPortal.WaitForCircuitAsync(page);
                violations.AddRange(await ScanAsync(page, $"login-{theme}-{size}"));
                scanned++;
                await BrowserPortal.LoginAsync(page, userName, password);
            }

            var pages = (await page.Locator("[data-testid=nav] a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"))
                .Concat([$"tokens/{serial}", "cas/localCA", "account/password"])
                .Where(p => p != "enrol")
                .Distinct()
                .ToList();
            Assert.NotEmpty(pages);
            foreach (var path in pages)
            {
                var response = await page.GotoAsync(path);
                if (!page.Url.TrimEnd('/').EndsWith(path.TrimEnd('/'), StringComparison.Ordinal) || response?.Status >= 400)
                {
                    continue; // a page this role may not open (e.g. CA pages for users): the access-denied page is scanned once below
                }
                await ReadyAsync(page, theme);
                violations.AddRange(await ScanAsync(page, $"{Slug(path)}-{role}-{theme}-{size}"));
                scanned++;
            }
            if (role == PortalRoles.User)
            {
                await page.GotoAsync("cas");
                await ReadyAsync(page, theme);
                violations.AddRange(await ScanAsync(page, $"denied-{role}-{theme}-{size}"));
                scanned++;
            }
            scanned += await ScanWizardAsync(page, role, owner, theme, size, violations);
        }

        output.WriteLine($"{role} at {size}: {scanned} states scanned in {watch.Elapsed.TotalSeconds:F0} s.");
        Assert.True(violations.Count == 0, $"axe found serious or critical violations:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// The dialogs people meet most, each opened and scanned in both themes at laptop size: revoke and renew (with its
    /// new-key fields) on a token page, and the New root CA and New subordinate CA dialogs.
    /// </summary>
    [Fact]
    public async Task Dialogs_AdminLaptopBothThemes_NoSeriousOrCriticalViolation()
    {
        var watch = Stopwatch.StartNew();
        var serial = await EnrolAsync(await CreateUserAsync(PortalRoles.User));
        var page = await portal.NewPageAsync(new ViewportSize { Width = 1280, Height = 800 });
        const string size = "1280x800";
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);
        var violations = new List<string>();
        var scanned = 0;

        foreach (var theme in new[] { "light", "dark" })
        {
            await page.Context.AddInitScriptAsync($"localStorage.setItem('portal.theme', '{theme}')");
            await page.GotoAsync($"tokens/{serial}");
            await ReadyAsync(page, theme);

            await OpenDialogAsync(page, "token-revoke", "revoke-dialog");
            violations.AddRange(await ScanDialogAsync(page, $"dialog-revoke-{theme}-{size}"));
            await CloseDialogAsync(page, "revoke-cancel", "revoke-dialog");

            // With the new-key fields open: the mode choice, the key select and the PIN field in one scan.
            await OpenDialogAsync(page, $"token-renew-{serial}", "renew-dialog");
            await page.GetByTestId("renew-new-key").ClickAsync();
            await Assertions.Expect(page.GetByTestId("renew-pin")).ToBeVisibleAsync();
            violations.AddRange(await ScanDialogAsync(page, $"dialog-renew-new-key-{theme}-{size}"));
            await CloseDialogAsync(page, "renew-cancel", "renew-dialog");

            await page.GotoAsync("cas");
            await ReadyAsync(page, theme);
            await OpenDialogAsync(page, "ca-create", "create-ca-dialog");
            violations.AddRange(await ScanDialogAsync(page, $"dialog-new-root-ca-{theme}-{size}"));
            await CloseDialogAsync(page, "create-ca-cancel", "create-ca-dialog");
            await OpenDialogAsync(page, "ca-create-subordinate", "create-ca-dialog");
            await Assertions.Expect(page.GetByTestId("create-ca-parent")).ToBeVisibleAsync();
            violations.AddRange(await ScanDialogAsync(page, $"dialog-new-subordinate-ca-{theme}-{size}"));
            await CloseDialogAsync(page, "create-ca-cancel", "create-ca-dialog");
            scanned += 4;
        }

        output.WriteLine($"{scanned} dialog states scanned in {watch.Elapsed.TotalSeconds:F0} s.");
        Assert.True(violations.Count == 0, $"axe found serious or critical violations:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
        await page.Context.CloseAsync();
    }

    /// <summary>Opens a dialog and waits until it shows its content (no progress bar) and its opening animation ended.</summary>
    private static async Task OpenDialogAsync(IPage page, string button, string dialog)
    {
        await page.GetByTestId(button).ClickAsync();
        await Assertions.Expect(page.GetByTestId(dialog)).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".mud-progress-linear")).ToHaveCountAsync(0);
        await page.WaitForTimeoutAsync(300);
    }

    /// <summary>
    /// Scans the open dialog only: the page behind it is scanned on its own, and the token page's PEM and history would
    /// double the time of each scan.
    /// </summary>
    private static async Task<IEnumerable<string>> ScanDialogAsync(IPage page, string name)
    {
        // The screen as the person sees it (the dialog is in view); a full-page picture of the page behind adds nothing.
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"axe-{name}.png") });
        var result = await page.Locator(".mud-dialog-container").RunAxe();
        Assert.NotEmpty(result.Passes); // axe judged the dialog's contents: a scan that saw nothing would pass silently
        return Failing(result, name);
    }

    private static async Task CloseDialogAsync(IPage page, string cancel, string dialog)
    {
        await page.GetByTestId(cancel).ClickAsync();
        await Assertions.Expect(page.GetByTestId(dialog)).ToHaveCountAsync(0);
    }

    /// <summary>The accessible name a screen reader would announce for the focused element (the parts axe also reads).</summary>
    private const string FocusedName = """
        () => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            const by = el.getAttribute('aria-labelledby');
            const labelled = by ? by.split(' ').map(id => document.getElementById(id)?.innerText ?? '').join(' ') : '';
            const name = el.getAttribute('aria-label') || labelled || (el.labels && el.labels.length ? el.labels[0].innerText : '')
                || el.innerText || el.getAttribute('title') || el.getAttribute('placeholder') || el.getAttribute('alt') || '';
            return name.trim() + ' <' + el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + (el.className?.baseVal ?? el.className ?? '').toString().slice(0, 60) + '>';
        }
        """;

    [Fact]
    public async Task KeyboardWalk_AdminPages_EveryStopHasAName()
    {
        var serial = await EnrolAsync(await CreateUserAsync(PortalRoles.User));
        var page = await portal.NewPageAsync(new ViewportSize { Width = 1280, Height = 800 });
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);
        var nameless = new List<string>();
        var named = new List<string>();

        foreach (var path in new[] { "", "tokens", $"tokens/{serial}", "cas", "cas/localCA", "policies", "users", "audit", "enrol" })
        {
            await page.GotoAsync(path);
            await ReadyAsync(page, "light");
            var seen = new HashSet<string>();
            // Enough stops for a page of grid rows, each with its serial, owner and revoke controls.
            for (var stop = 0; stop < 150; stop++)
            {
                await page.Keyboard.PressAsync("Tab");
                var focused = await page.EvaluateAsync<string?>(FocusedName);
                if (focused is null || !seen.Add(focused))
                {
                    continue;
                }
                if (focused.StartsWith('<'))
                {
                    nameless.Add($"{(path.Length == 0 ? "dashboard" : path)}: {focused}");
                }
                else
                {
                    named.Add(focused);
                }
            }
        }

        // The walk reached the grids' own controls by keyboard alone: the named sort buttons and a row's revoke button.
        Assert.Contains(named, n => n.StartsWith("Sort by serial <button"));
        Assert.Contains(named, n => n.StartsWith($"Revoke {serial} <button"));
        Assert.True(nameless.Count == 0, $"Keyboard stops without a name:{Environment.NewLine}{string.Join(Environment.NewLine, nameless)}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Scan_PageWithANamelessButton_ReportsIt()
    {
        var page = await portal.NewPageAsync();
        await page.GotoAsync("login");
        await BrowserPortal.WaitForCircuitAsync(page);
        // The scan itself must be able to fail: a button with only an icon and no name is a critical violation.
        await page.EvaluateAsync("() => document.body.insertAdjacentHTML('beforeend', '<button id=\"nameless\"><svg width=\"8\" height=\"8\"></svg></button>')");

        var found = (await ScanAsync(page, "self-check")).ToList();

        Assert.Contains(found, v => v.Contains("critical button-name") && v.Contains("#nameless"));
        await page.Context.CloseAsync();
    }

    /// <summary>Walks the wizard with a generated key, scanning each step as it is reached; stops at the review step.</summary>
    private static async Task<int> ScanWizardAsync(IPage page, string role, string owner, string theme, string size, List<string> violations)
    {
        await page.GotoAsync("enrol");
        await ReadyAsync(page, theme);
        var wizard = page.GetByTestId("enrol-wizard");
        var scanned = 0;
        for (var guard = 0; guard < 8; guard++)
        {
            var step = await wizard.GetAttributeAsync("data-step");
            violations.AddRange(await ScanAsync(page, $"enrol-step{step}-{role}-{theme}-{size}"));
            scanned++;
            if (await page.GetByTestId("enrol-next").CountAsync() == 0)
            {
                break; // the review step: its button enrols
            }
            if (await page.GetByTestId("enrol-method-genkey").IsVisibleAsync() && !await page.GetByTestId("enrol-method-genkey").IsCheckedAsync())
            {
                await page.GetByTestId("enrol-method-genkey").CheckAsync();
                await page.GetByTestId("enrol-key-ec-P-256").CheckAsync();
            }
            var ownerField = page.Locator("input[data-testid=enrol-owner]");
            if (await ownerField.CountAsync() > 0 && await ownerField.IsVisibleAsync() && string.IsNullOrEmpty(await ownerField.InputValueAsync()))
            {
                await ownerField.FillAsync(owner);
                await page.Locator($"[data-testid=enrol-owner-option][data-user={owner}]").ClickAsync();
            }
            if (await page.GetByTestId("enrol-random-password").CountAsync() > 0 && await page.GetByTestId("enrol-random-password").IsVisibleAsync())
            {
                await page.GetByTestId("enrol-random-password").CheckAsync();
            }
            await page.GetByTestId("enrol-next").ClickAsync();
            await Assertions.Expect(wizard).Not.ToHaveAttributeAsync("data-step", step!);
        }
        return scanned;
    }

    /// <summary>Waits for the live page in the asked theme, its progress bars gone (axe then sees the page a person reads).</summary>
    private static async Task ReadyAsync(IPage page, string theme)
    {
        await BrowserPortal.WaitForCircuitAsync(page);
        await page.Locator($"[aria-label='{(theme == "dark" ? "Switch to light mode" : "Switch to dark mode")}']").First
            .WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator(".mud-progress-linear")).ToHaveCountAsync(0);
        // MudBlazor's transitions (drawer, ripples) settle before the colours are judged.
        await page.WaitForTimeoutAsync(300);
    }

    private static async Task<IEnumerable<string>> ScanAsync(IPage page, string name)
    {
        await BrowserPortal.ScreenshotAsync(page, $"axe-{name}");
        return Failing(await page.RunAxe(), name);
    }

    private static IEnumerable<string> Failing(AxeResult result, string name) =>
        result.Violations
            .Where(v => FailingImpacts.Contains(v.Impact))
            .Select(v => $"[{name}] {v.Impact} {v.Id}: {v.Help} — " +
                         string.Join(" | ", v.Nodes.Take(5).Select(n => $"{n.Target} {Shorten(n.Html)}")));

    private static string Shorten(string html) => html.Length <= 160 ? html : html[..160] + "…";

    private static string Slug(string path) => path.Length == 0 ? "dashboard" : path.Replace('/', '-');

    private async Task<string> CreateUserAsync(string role)
    {
        var name = $"axe{role[0]}{Guid.NewGuid().ToString("N")[..6]}";
        await portal.Portal.CreateUserAsync(name, role);
        return name;
    }

    private async Task<string> EnrolAsync(string owner)
    {
        await using var scope = portal.Portal.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<EnrolTokenCommand>()
            .ExecuteAsync(TestPki.Helpdesk, new EnrolmentRequest { UserName = owner, CaName = "localCA", TemplateName = "user", Csr = TestCsrs.Rsa(owner) });
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value.Token.Serial;
    }
}
