using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Components.Pages.Tokens;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Tests.Infrastructure;
using CertTokenPortal.Tests.Tokens.Renewal;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using TokenDetailsPage = CertTokenPortal.Components.Pages.Tokens.TokenDetails;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages.Tokens;

/// <summary>The renew dialog: the window and the template's rule first, then same key, new CSR or new key.</summary>
[Trait("Category", "Component")]
public sealed class RenewTokenDialogTests : PortalComponentTest
{
    private TokenView _token = default!;

    public override async Task InitializeAsync()
    {
        await UseCoreAsync();
        await PortalUsers.CreateAsync(Core.Services, "ulla", PortalRoles.User, null);
        _token = (await Core.EnrolAsync(new EnrolmentRequest { UserName = "ulla", CaName = "localCA", Csr = TestCsrs.Rsa("ulla") })).Token;
    }

    private Task<(IRenderedComponent<ContainerFragment> Cut, IDialogReference Dialog)> ShowAsync() =>
        ShowDialogAsync<RenewTokenDialog>(new DialogParameters<RenewTokenDialog> { { d => d.Token, _token } }, PortalDialogOptions.Form());

    [Fact]
    public async Task Show_OwnerBeforeTheWindow_SaysWhenItOpensAndTheRuleAndCannotSubmit()
    {
        LogInAs(PortalRoles.User, "ulla");

        var (cut, _) = await ShowAsync();

        cut.WaitForAssertion(() => Assert.Contains($"Renewal opens on {_token.NotAfter!.Value.AddDays(-30):yyyy-MM-dd}", cut.Find("[data-testid=renew-window]").TextContent), Patience);
        Assert.Contains("end users renew from 30 days before expiry", cut.Find("[data-testid=renew-rules]").TextContent);
        Assert.True(cut.Find("[data-testid=renew-confirm]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Confirm_StaffSameKey_ClosesAndTheTokenHoldsANewCertificate()
    {
        LogInAs(PortalRoles.Helpdesk);
        var (cut, dialog) = await ShowAsync();
        cut.WaitForAssertion(() => Assert.Contains("Staff may renew at any time", cut.Find("[data-testid=renew-window]").TextContent), Patience);

        cut.Find("[data-testid=renew-confirm]").Click();

        var result = await dialog.Result;
        Assert.False(result!.Canceled);
        Assert.NotEqual(_token.CertificateSerial, (await Core.FindTokenAsync(_token.Serial))!.CertificateSerial);
        Assert.Equal(2, (await Core.HistoryAsync(_token.Serial)).Count);
    }

    [Fact]
    public async Task Confirm_StaffNewKeyWithoutPin_ShowsTheOneTimePasswordAndADownload()
    {
        LogInAs(PortalRoles.Helpdesk);
        var (cut, _) = await ShowAsync();
        cut.WaitForAssertion(() => cut.Find("[data-testid=renew-new-key]"), Patience);

        cut.Find("[data-testid=renew-new-key]").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=renew-key]"), Patience);
        cut.Find("[data-testid=renew-confirm]").Click();

        cut.WaitForAssertion(() => Assert.Matches("^[A-Za-z0-9_-]{16,}$", cut.Find("[data-testid=renew-password]").TextContent.Trim()), Patience);
        Assert.NotNull(cut.Find("[data-testid=renew-download]"));
        Assert.Equal(EnrolmentModes.GenerateKey, (await Core.FindTokenAsync(_token.Serial))!.EnrolmentMode);
    }

    [Fact]
    public async Task Confirm_BadCsr_RefusalStaysInTheDialogAndNothingIsWritten()
    {
        LogInAs(PortalRoles.Helpdesk);
        var (cut, _) = await ShowAsync();
        cut.WaitForAssertion(() => cut.Find("[data-testid=renew-new-csr]"), Patience);
        cut.Find("[data-testid=renew-new-csr]").Click();
        cut.WaitForAssertion(() => cut.Find("textarea[data-testid=renew-csr], [data-testid=renew-csr] textarea"), Patience);

        cut.Find("textarea[data-testid=renew-csr], [data-testid=renew-csr] textarea").Change(TestCsrs.WeakRsa1024("ulla"));
        cut.Find("[data-testid=renew-confirm]").Click();

        cut.WaitForAssertion(() => Assert.Contains("2048", cut.Find("[data-testid=renew-refused]").TextContent), Patience);
        Assert.Single(await Core.HistoryAsync(_token.Serial));
        Assert.Equal(_token.CertificateSerial, (await Core.FindTokenAsync(_token.Serial))!.CertificateSerial);
    }

    [Fact]
    public void TokenPage_FromTheExpiryMailsRenewLink_OpensTheDialogAndListsTheCertificates()
    {
        LogInAs(PortalRoles.User, "ulla");
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo($"tokens/{_token.Serial}?renew=1");

        var cut = RenderWithProviders<TokenDetailsPage>(new Dictionary<string, object?> { [nameof(TokenDetailsPage.Serial)] = _token.Serial });

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=renew-dialog]")), Patience);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=token-certificate-row][data-state=current]")), Patience);
        Assert.NotNull(cut.Find($"[data-testid=token-renew-{_token.Serial}]"));
    }
}
