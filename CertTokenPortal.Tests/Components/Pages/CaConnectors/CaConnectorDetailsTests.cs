using AngleSharp.Dom;
using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Components.Pages.CaConnectors;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages.CaConnectors;

/// <summary>The page of the default CA "localCA" (RSA 3072 root; templates "user" (default) and "server") on the real Core.</summary>
[Trait("Category", "Component")]
public sealed class CaConnectorDetailsTests : PortalComponentTest, IDisposable
{
    private readonly DatabaseGate _gate = new("\"CaConnectors\"");
    private readonly TempDirectory _dir = new("ctp-ca-details");

    public override Task InitializeAsync() =>
        UseCoreAsync(configure: s => s.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(_gate)));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Render_Admin_CertificateFactsAsOpenSslSeesThem()
    {
        LogInAs(PortalRoles.Admin);

        var cut = Render("localCA");

        cut.WaitForElement("[data-testid=ca-fingerprint]", Patience);
        await using var db = Core.NewDb();
        var pem = _dir.File("ca.pem");
        File.WriteAllText(pem, (await db.LocalCas.SingleAsync(l => l.CaConnector.Name == "localCA")).CertificatePem);
        var fingerprint = ExternalTool.OpenSsl("x509", "-in", pem, "-noout", "-fingerprint", "-sha256").StdOut.Trim().Split('=', 2)[1];
        var serial = ExternalTool.OpenSsl("x509", "-in", pem, "-noout", "-serial").StdOut.Trim().Split('=', 2)[1];
        Assert.Equal(fingerprint, Text(cut, "ca-fingerprint"));
        Assert.Equal(serial, Text(cut, "ca-serial"));
        Assert.Equal("CN=CertTokenPortal Root CA", Text(cut, "ca-subject"));
        Assert.Equal("CN=CertTokenPortal Root CA", Text(cut, "ca-issuer"));
        Assert.Equal("RSA 3072", Text(cut, "ca-key"));
        Assert.Contains("self-signed", Text(cut, "ca-chain-root"));
        Assert.Equal("local", Text(cut, "ca-type"));
    }

    [Fact]
    public async Task Render_Helpdesk_PublicAddressesAreThoseInIssuedCertificatesEachWithACopyButton()
    {
        var issued = await TestPki.IssueAsync(Core, "localCA", TestPki.OpenSslCsr(_dir, ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"]));
        var leaf = TestPki.WritePem(_dir, "leaf.pem", issued.Certificate);
        var extensions = ExternalTool.OpenSsl("x509", "-in", leaf, "-noout", "-ext", "crlDistributionPoints,authorityInfoAccess").StdOut;
        Context.JSInterop.Setup<bool>("portal.copyText", _ => true).SetResult(true);
        LogInAs(PortalRoles.Helpdesk);

        var cut = Render("localCA");

        cut.WaitForElement("[data-testid=ca-public-urls]", Patience);
        var urls = new[] { "certificate", "crl", "ocsp" }.Select(id => Text(cut, $"ca-url-{id}")).ToList();
        Assert.Equal("http://pki.test/ca/localCA/cert", urls[0]); // Portal:PublicBaseUrl of the test Core
        Assert.Contains($"CA Issuers - URI:{urls[0]}", extensions);
        Assert.Contains($"URI:{urls[1]}", extensions);
        Assert.Contains($"OCSP - URI:{urls[2]}", extensions);

        var copy = cut.Find("[data-testid=ca-url-copy-ocsp]");
        Assert.Equal("Copy the OCSP address of localCA", copy.GetAttribute("aria-label"));
        copy.Click();
        cut.WaitForAssertion(() => Assert.Contains("The OCSP address is copied.", cut.Find(".mud-snackbar").TextContent), Patience);
        Assert.Equal(urls[2], Context.JSInterop.Invocations.Single(i => i.Identifier == "portal.copyText").Arguments[0]);
    }

    [Fact]
    public async Task Render_ApprovalCa_ShowsNoPublicAddressesOfItsOwn()
    {
        await Core.InScopeAsync(sp => sp.GetRequiredService<CertTokenPortal.Core.CaConnectors.Approval.CreateApprovalCaCommand>()
            .ExecuteAsync(TestPki.Admin, "gated", "localCA"));
        LogInAs(PortalRoles.Admin);

        var cut = Render("gated");

        cut.WaitForElement("[data-testid=ca-no-certificate]", Patience);
        Assert.Empty(cut.FindAll("[data-testid=ca-public-urls]"));
    }

    [Fact]
    public void Render_Admin_DownloadsPointAtThePublicUrls()
    {
        LogInAs(PortalRoles.Admin);

        var cut = Render("localCA");

        cut.WaitForElement("[data-testid=crl-download-der]", Patience);
        Assert.Equal(
            ["ca/localCA/cert.pem", "ca/localCA/cert", "ca/localCA/crl.pem", "ca/localCA/crl"],
            new[] { "ca-download-pem", "ca-download-der", "crl-download-pem", "crl-download-der" }
                .Select(id => cut.Find($"a[data-testid={id}]").GetAttribute("href")));
        Assert.Equal("localCA.pem", cut.Find("a[data-testid=ca-download-pem]").GetAttribute("download"));
    }

    [Fact]
    public void Render_Admin_CrlStatusAndTemplatesWithActions()
    {
        LogInAs(PortalRoles.Admin);

        var cut = Render("localCA");

        cut.WaitForElement("[data-testid=crl-number]", Patience);
        Assert.Equal(("1", "0"), (Text(cut, "crl-number"), Text(cut, "crl-revoked")));
        Assert.EndsWith(" UTC", Text(cut, "crl-next-update"));
        Assert.Equal(["server", "user"], cut.FindAll("[data-testid=template-name]").Select(e => e.TextContent.Trim()));
        var user = TemplateRow(cut, "user");
        Assert.NotNull(user.QuerySelector("[data-testid=template-default]"));
        Assert.Equal("365 days", Text(user, "template-days"));
        Assert.Equal("digitalSignature, keyEncipherment", Text(user, "template-key-usage"));
        Assert.Equal("clientAuth, emailProtection", Text(user, "template-eku"));
        Assert.Null(TemplateRow(cut, "server").QuerySelector("[data-testid=template-default]"));
        Assert.Equal("names from the owner's account", Text(user, "template-names"));
        Assert.Equal("names from the request: attributes CN O OU L ST C, SAN types DNS IP, DNS any, email any, at most 10 SANs; staff only",
            Text(TemplateRow(cut, "server"), "template-names"));
        Assert.NotEmpty(cut.FindAll("[data-testid=crl-publish]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=template-create]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=template-edit-user]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=template-delete-server]"));
    }

    [Fact]
    public void Render_Helpdesk_EverythingReadOnly()
    {
        LogInAs(PortalRoles.Helpdesk);

        var cut = Render("localCA");

        cut.WaitForElement("[data-testid=crl-number]", Patience);
        Assert.Equal(2, cut.FindAll("[data-testid=template-name]").Count);
        Assert.NotEmpty(cut.FindAll("[data-testid=ca-download-pem]"));
        Assert.Empty(cut.FindAll("[data-testid=crl-publish], [data-testid=template-create], [data-testid^=template-edit-], [data-testid^=template-delete-]"));
    }

    [Fact]
    public void Render_UnknownCa_SaysSo()
    {
        LogInAs(PortalRoles.Admin);

        var cut = Render("no-such-ca");

        cut.WaitForAssertion(() => Assert.Equal("There is no CA connector named 'no-such-ca'.", Text(cut, "ca-load-error")), Patience);
        Assert.Empty(cut.FindAll("[data-testid=ca-certificate], [data-testid=crl-publish]"));
    }

    [Fact]
    public void Render_EndUserPastTheRouter_ShowsCoreRefusal()
    {
        LogInAs(PortalRoles.User);

        var cut = Render("localCA");

        cut.WaitForAssertion(() => Assert.Equal("Only admins and helpdesk staff may view CA connectors.", Text(cut, "ca-load-error")), Patience);
        Assert.Empty(cut.FindAll("[data-testid=ca-fingerprint]"));
    }

    [Fact]
    public void Render_DatabaseSlow_ShowsLoadingThenTheCa()
    {
        LogInAs(PortalRoles.Helpdesk);
        _gate.Close();

        var cut = Render("localCA");

        cut.WaitForElement("[data-testid=ca-loading]", Patience);
        Assert.Empty(cut.FindAll("[data-testid=ca-fingerprint]"));
        _gate.Open();
        cut.WaitForElement("[data-testid=ca-fingerprint]", Patience);
        Assert.Empty(cut.FindAll("[data-testid=ca-loading]"));
    }

    [Fact]
    public void Render_CaWithoutTemplates_SaysOneIsNeeded()
    {
        LogInAs(PortalRoles.Helpdesk);
        using (var db = Core.NewDb())
        {
            db.CertificateTemplates.ExecuteDelete();
        }

        var cut = Render("localCA");

        cut.WaitForElement("[data-testid=templates-empty]", Patience);
        Assert.Empty(cut.FindAll("[data-testid=template-name]"));
    }

    [Fact]
    public async Task PublishCrl_Admin_ShowsTheNextNumberAndStoresIt()
    {
        LogInAs(PortalRoles.Admin);
        var cut = Render("localCA");
        cut.WaitForElement("[data-testid=crl-publish]", Patience).Click();

        cut.WaitForAssertion(() => Assert.Equal("2", Text(cut, "crl-number")), Patience);
        Assert.Contains("CRL number 2 published.", cut.Find(".mud-snackbar").TextContent);
        await using var db = Core.NewDb();
        Assert.Equal(2, (await db.LocalCas.SingleAsync(l => l.CaConnector.Name == "localCA")).CrlNumber);
    }

    [Fact]
    public async Task NewTemplate_ChosenUsages_SavedCanonicallyAndListed()
    {
        LogInAs(PortalRoles.Admin);
        var cut = Render("localCA");
        cut.WaitForElement("[data-testid=template-create]", Patience).Click();
        cut.WaitForElement("[data-testid=template-submit]", Patience);

        Input(cut, "template-name-input").Change("vpn");
        Input(cut, "template-days-input").Change("30");
        cut.Find("[data-testid=ku-keyEncipherment]").Click();   // off (preselected)
        cut.Find("[data-testid=ku-keyAgreement]").Click();      // on
        cut.Find("[data-testid=eku-serverAuth]").Click();       // on, next to the preselected clientAuth
        Input(cut, "template-eku-oids").Change("1.3.6.1.5.5.7.3.21");
        Input(cut, "template-names-from-request").Change(true);
        cut.WaitForElement("[data-testid=template-dns-patterns]", Patience);
        Input(cut, "template-dns-patterns").Change("*.corp.example");
        Input(cut, "template-subject-realm").Change(true);
        Input(cut, "template-default-input").Change(true);
        cut.Find("[data-testid=template-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["server", "user", "vpn"], cut.FindAll("[data-testid=template-name]").Select(e => e.TextContent.Trim())), Patience);
        Assert.NotNull(TemplateRow(cut, "vpn").QuerySelector("[data-testid=template-default]"));
        Assert.Contains("Template vpn of localCA saved.", cut.Find(".mud-snackbar").TextContent);
        await using var db = Core.NewDb();
        var saved = await db.CertificateTemplates.SingleAsync(t => t.Name == "vpn");
        Assert.Equal((30, "digitalSignature,keyAgreement", "clientAuth,serverAuth,1.3.6.1.5.5.7.3.21", true, "realm"),
            (saved.ValidityDays, saved.KeyUsage, saved.ExtendedKeyUsage, saved.CopySans, saved.SubjectComponents));
        Assert.Equal(("csr", "CN,O,OU,L,ST,C", "DNS", "*.corp.example"), (saved.SubjectSource, saved.AllowedRdns, saved.AllowedSanTypes, saved.DnsPatterns));
        Assert.Equal("vpn", (await db.CaConnectors.SingleAsync(c => c.Name == "localCA")).DefaultTemplate);
    }

    [Fact]
    public async Task NewTemplate_BadOid_ShowsCoreMessageKeepsDialogAndSavesNothing()
    {
        LogInAs(PortalRoles.Admin);
        var cut = Render("localCA");
        cut.WaitForElement("[data-testid=template-create]", Patience).Click();
        cut.WaitForElement("[data-testid=template-submit]", Patience);

        Input(cut, "template-name-input").Change("odd");
        Input(cut, "template-eku-oids").Change("superUser");
        cut.Find("[data-testid=template-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("'superUser' is not an extended key usage", cut.Find("[data-testid=template-problem]").TextContent), Patience);
        Assert.Empty(cut.FindAll(".mud-snackbar"));
        Assert.NotEmpty(cut.FindAll("[data-testid=template-submit]"));
        await using var db = Core.NewDb();
        Assert.False(await db.CertificateTemplates.AnyAsync(t => t.Name == "odd"));
    }

    [Fact]
    public async Task EditTemplate_ChangeDays_KeepsTheRestAndSaves()
    {
        LogInAs(PortalRoles.Admin);
        var cut = Render("localCA");
        cut.WaitForElement("[data-testid=template-edit-user]", Patience).Click();
        cut.WaitForElement("[data-testid=template-submit]", Patience);

        Assert.True(Input(cut, "template-name-input").HasAttribute("disabled"));
        Input(cut, "template-days-input").Change("90");
        cut.Find("[data-testid=template-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal("90 days", Text(TemplateRow(cut, "user"), "template-days")), Patience);
        await using var db = Core.NewDb();
        var saved = await db.CertificateTemplates.SingleAsync(t => t.Name == "user");
        Assert.Equal((90, "digitalSignature,keyEncipherment", "clientAuth,emailProtection"), (saved.ValidityDays, saved.KeyUsage, saved.ExtendedKeyUsage));
        Assert.Equal("user", (await db.CaConnectors.SingleAsync(c => c.Name == "localCA")).DefaultTemplate);
    }

    [Fact]
    public async Task DeleteTemplate_Confirmed_GoneFromPageAndDatabase()
    {
        LogInAs(PortalRoles.Admin);
        var cut = Render("localCA");
        cut.WaitForElement("[data-testid=template-delete-server]", Patience).Click();
        cut.WaitForElement("[data-testid=confirm-ok]", Patience).Click();

        cut.WaitForAssertion(() => Assert.Equal(["user"], cut.FindAll("[data-testid=template-name]").Select(e => e.TextContent.Trim())), Patience);
        await using var db = Core.NewDb();
        Assert.False(await db.CertificateTemplates.AnyAsync(t => t.Name == "server"));
    }

    private IRenderedComponent<ContainerFragment> Render(string name) =>
        RenderWithProviders<CaConnectorDetails>(new Dictionary<string, object?> { [nameof(CaConnectorDetails.Name)] = name });

    private static string Text(IRenderedComponent<ContainerFragment> cut, string testId) => cut.Find($"[data-testid={testId}]").TextContent.Trim();

    private static string Text(IElement row, string testId) => row.QuerySelector($"[data-testid={testId}]")!.TextContent.Trim();

    private static IElement TemplateRow(IRenderedComponent<ContainerFragment> cut, string name) =>
        cut.FindAll("tr").Single(r => r.QuerySelector("[data-testid=template-name]")?.TextContent.Trim() == name);

    private static IElement Input(IRenderedComponent<ContainerFragment> cut, string testId) =>
        cut.Find($"input[data-testid={testId}], [data-testid={testId}] input");
}
