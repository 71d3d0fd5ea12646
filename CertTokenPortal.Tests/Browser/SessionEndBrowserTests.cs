using System.Diagnostics;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CertTokenPortal.Tests.Browser;

/// <summary>
/// An open browser page ends with its account: when an admin locks or deletes the account, the page (its live
/// circuit, without any click) goes to the login page within seconds.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class SessionEndBrowserTests(BrowserPortal portal)
{
    /// <summary>
    /// Twice <c>Portal:Sessions:CheckSeconds</c> (5 s: the circuit's revalidation interval plus the account cache), and
    /// a margin for a loaded machine.
    /// </summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("lock")]
    [InlineData("delete")]
    public async Task OpenPage_AccountLockedOrDeletedByAdmin_GoesToLoginWithinSeconds(string change)
    {
        var name = $"b{change}{Guid.NewGuid():N}"[..12];
        await portal.Portal.CreateUserAsync(name, PortalRoles.User);
        var page = await portal.NewPageAsync();
        await BrowserPortal.LoginAsync(page, name, PortalUsers.Password);
        Assert.DoesNotContain("/login", page.Url);

        var watch = Stopwatch.StartNew();
        await using (var scope = portal.Portal.Services.CreateAsyncScope())
        {
            var done = change == "lock"
                ? (await scope.ServiceProvider.GetRequiredService<SetUserLockedCommand>().ExecuteAsync(TestPki.Admin, name, locked: true)).IsSuccess
                : (await scope.ServiceProvider.GetRequiredService<DeleteUserCommand>().ExecuteAsync(TestPki.Admin, name)).IsSuccess;
            Assert.True(done);
        }
        await page.WaitForFunctionAsync("() => location.pathname.endsWith('/login')", null,
            new PageWaitForFunctionOptions { PollingInterval = 100, Timeout = (float)Limit.TotalMilliseconds });

        Assert.True(watch.Elapsed < Limit, $"took {watch.Elapsed.TotalSeconds:F1} s");
        await page.Context.CloseAsync();
    }
}
