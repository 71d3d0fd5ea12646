using Bunit;
using CertTokenPortal.Components.Pages.CaConnectors;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Identity;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages.CaConnectors;

/// <summary>The template dialog's renewal block: shows the template's settings and saves what the admin changes.</summary>
[Trait("Category", "Component")]
public sealed class TemplateRenewalFieldsTests : PortalComponentTest
{
    [Fact]
    public async Task Save_ChangedRenewalSettings_StoredOnTheTemplate()
    {
        await UseCoreAsync();
        LogInAs(PortalRoles.Admin);
        var user = (await Core.Get<ICaConnectorRegistry>().ListAsync()).Single(c => c.Name == "localCA").Templates.Single(t => t.Name == "user");
        var (cut, dialog) = await ShowDialogAsync<TemplateDialog>(new DialogParameters<TemplateDialog>
        {
            { d => d.CaName, "localCA" }, { d => d.Existing, user },
        }, PortalDialogOptions.Form());
        cut.WaitForAssertion(() => Assert.Equal("30", cut.Find("input[data-testid=template-renewal-window], [data-testid=template-renewal-window] input").GetAttribute("value")), Patience);

        cut.Find("input[data-testid=template-renewal-window], [data-testid=template-renewal-window] input").Change("14");
        cut.Find("[data-testid=template-revoke-superseded] input, input[data-testid=template-revoke-superseded]").Change(true);
        cut.WaitForAssertion(() => cut.Find("input[data-testid=template-superseded-grace], [data-testid=template-superseded-grace] input").Change("3"), Patience);
        cut.Find("[data-testid=template-submit]").Click();

        Assert.False((await dialog.Result)!.Canceled);
        await using var db = Core.NewDb();
        var stored = await db.CertificateTemplates.SingleAsync(t => t.CaConnector.Name == "localCA" && t.Name == "user");
        Assert.Equal((14, (int?)3, true), (stored.RenewalWindowDays, stored.SupersededGraceDays, stored.AllowSameKeyRenewal));
    }
}
