using CertTokenPortal.Core.CaConnectors.Approval;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Users;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CertTokenPortal.Tests.Browser;

[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class PoliciesAndPendingBrowserTests(BrowserPortal portal)
{
    [Fact]
    public async Task Policies_AdminCreatesPolicyInTheDialog_ItIsListedWithItsExplanation()
    {
        var page = await portal.NewPageAsync();
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);
        await page.GetByTestId("nav-policies").ClickAsync();
        await Assertions.Expect(page.GetByTestId("policies-title")).ToBeVisibleAsync();
        await BrowserPortal.WaitForCircuitAsync(page);

        var name = "browser-" + Guid.NewGuid().ToString("N")[..6];
        await page.GetByTestId("policy-create").ClickAsync();
        await page.GetByTestId("policy-field-name").FillAsync(name);
        await page.GetByTestId("policy-free-text").CheckAsync();
        await page.GetByTestId("policy-field-action").FillAsync("max_token_per_user=2, key_rules=rsa>=3072 ec:P-256,P-384");
        await page.GetByTestId("policy-field-realms").FillAsync("browser-realm");
        await page.GetByTestId("policy-submit").ClickAsync();

        await Assertions.Expect(page.GetByTestId("policy-submit")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId($"policy-action-{name}")).ToHaveTextAsync("max_token_per_user=2, key_rules='rsa>=3072 ec:P-256,P-384'");
        await Assertions.Expect(page.GetByText($"A user may hold at most 2 certificate token(s) (policy '{name}').")).ToBeVisibleAsync();
        await BrowserPortal.ScreenshotAsync(page, "policies-desktop");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Pending_AdminApprovesARequest_ItLeavesTheList()
    {
        var serial = await ArrangePendingRequestAsync();
        var page = await portal.NewPageAsync();
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);
        await page.GetByTestId("nav-pending").ClickAsync();
        await Assertions.Expect(page.GetByTestId("pending-title")).ToBeVisibleAsync();
        await BrowserPortal.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByTestId($"pending-approve-{serial}")).ToBeEnabledAsync();
        await BrowserPortal.ScreenshotAsync(page, "pending-desktop");

        await page.GetByTestId($"pending-approve-{serial}").ClickAsync();

        await Assertions.Expect(page.GetByTestId($"pending-approve-{serial}")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Policies_PhoneSize_FitsTheScreenWidth()
    {
        var page = await portal.NewPageAsync(new ViewportSize { Width = 390, Height = 844 });
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);
        await using (var scope = portal.Portal.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Core.Policies.SetPolicyCommand>().ExecuteAsync(Actor.System,
                new Core.Policies.PolicyRequest("phone-policy", "certificate_template=user, allowed_templates=user server, pin_rules=min=10 classes=3") { Realms = "phone-realm" });
        }
        await page.GotoAsync("policies");
        await BrowserPortal.WaitForCircuitAsync(page);

        await Assertions.Expect(page.GetByTestId("policy-action-phone-policy")).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        await BrowserPortal.ScreenshotAsync(page, "policies-phone");
        Assert.True(overflow <= 0, $"The page is {overflow}px wider than a phone screen.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Pending_PhoneSize_FitsTheScreenWidth()
    {
        await ArrangePendingRequestAsync();
        var page = await portal.NewPageAsync(new ViewportSize { Width = 390, Height = 844 });
        await BrowserPortal.LoginAsync(page, "admin", BrowserPortal.AdminPassword);
        await page.GotoAsync("pending");
        await BrowserPortal.WaitForCircuitAsync(page);

        await Assertions.Expect(page.GetByTestId("pending-serial").First).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        await BrowserPortal.ScreenshotAsync(page, "pending-phone");
        Assert.True(overflow <= 0, $"The page is {overflow}px wider than a phone screen.");
        await page.Context.CloseAsync();
    }

    /// <summary>A user's request waiting at an approval CA (made once per portal), arranged through Core.</summary>
    private async Task<string> ArrangePendingRequestAsync()
    {
        await using var scope = portal.Portal.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<CreateApprovalCaCommand>().ExecuteAsync(Actor.System, "browserApproval", "localCA");
        var user = "req" + Guid.NewGuid().ToString("N")[..6];
        var created = await services.GetRequiredService<CreateUserCommand>()
            .ExecuteAsync(Actor.System, new NewUser(user, PortalUsers.Password, $"{user}@example.org", null, PortalRoles.User));
        Assert.True(created.IsSuccess, created.Error?.Message);
        var enrolled = await services.GetRequiredService<EnrolTokenCommand>().ExecuteAsync(new Actor(user, created.Value.Realm, PortalRoles.User, null),
            new EnrolmentRequest { CaName = "browserApproval", Csr = TestCsrs.Rsa(user), Description = "Laptop, second screen" });
        Assert.True(enrolled.IsSuccess, enrolled.Error?.Message);
        return enrolled.Value.Token.Serial;
    }
}
