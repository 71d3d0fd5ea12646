using Microsoft.Playwright;

namespace CertTokenPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class LoginBrowserTests(BrowserPortal portal)
{
    [Fact]
    public async Task Login_AdminWithRightPassword_SeesTheDashboard()
    {
        var page = await portal.NewPageAsync();

        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);

        await Assertions.Expect(page.GetByTestId("dashboard-title")).ToHaveTextAsync("Dashboard");
        await Assertions.Expect(page.GetByTestId("current-role")).ToHaveTextAsync("admin");
        await Assertions.Expect(page.GetByTestId("nav-users")).ToBeVisibleAsync();
        var screenshot = await BrowserPortal.ScreenshotAsync(page, "dashboard-admin");
        Assert.True(new FileInfo(screenshot).Length > 0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Login_WrongPassword_SaysInvalidAndStaysOnLogin()
    {
        var page = await portal.NewPageAsync();

        await BrowserPortal.LoginAsync(page, "admin", "Wrong-Passw0rd!");

        await Assertions.Expect(page.GetByTestId("login-error")).ToHaveTextAsync("Invalid user name or password.");
        Assert.Contains("/login", page.Url);
        Assert.Equal(0, await page.GetByTestId("dashboard-title").CountAsync());
        await page.Context.CloseAsync();
    }
}
