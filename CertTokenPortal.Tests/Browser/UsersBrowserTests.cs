using Microsoft.Playwright;

namespace CertTokenPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class UsersBrowserTests(BrowserPortal portal)
{
    [Fact]
    public async Task Users_AdminCreatesUserAtDesktopSize_UserIsListed()
    {
        var page = await portal.NewPageAsync();
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);
        await page.GetByTestId("nav-users").ClickAsync();
        await Assertions.Expect(page.GetByTestId("users-title")).ToBeVisibleAsync();
        await BrowserPortal.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByTestId("user-name").First).ToHaveTextAsync("admin");

        var name = "browser" + Guid.NewGuid().ToString("N")[..6];
        await page.GetByTestId("user-create").ClickAsync();
        await page.GetByTestId("create-username").FillAsync(name);
        await page.GetByTestId("create-email").FillAsync($"{name}@example.org");
        await page.GetByTestId("create-role-helpdesk").CheckAsync();
        await page.GetByTestId("create-password").FillAsync("Br0wser-Passw0rd!");
        await page.GetByTestId("create-confirmation").FillAsync("Br0wser-Passw0rd!");
        await page.GetByTestId("create-submit").ClickAsync();

        // The success snackbar fades after a few seconds, too short to rely on under CI load; the component tests check it.
        await Assertions.Expect(page.GetByTestId("create-submit")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("user-name").Filter(new LocatorFilterOptions { HasText = name })).ToBeVisibleAsync();
        await BrowserPortal.ScreenshotAsync(page, "users-desktop");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Users_PhoneSize_FitsTheScreenWidth()
    {
        var page = await portal.NewPageAsync(new ViewportSize { Width = 390, Height = 844 });
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);
        await page.GotoAsync("users");
        await BrowserPortal.WaitForCircuitAsync(page);

        await Assertions.Expect(page.GetByTestId("user-name").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("user-create")).ToBeInViewportAsync(new LocatorAssertionsToBeInViewportOptions { Ratio = 1 });
        await Assertions.Expect(page.GetByTestId("logout")).ToBeInViewportAsync(new LocatorAssertionsToBeInViewportOptions { Ratio = 1 });
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        await BrowserPortal.ScreenshotAsync(page, "users-phone");
        Assert.True(overflow <= 0, $"The page is {overflow}px wider than a phone screen.");
        await page.Context.CloseAsync();
    }
}
