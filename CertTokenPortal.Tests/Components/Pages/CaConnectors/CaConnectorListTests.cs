using System.Reflection;
using AngleSharp.Dom;
using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Components.Pages.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages.CaConnectors;

/// <summary>The CA list on the real Core, which starts with the default CA "localCA" (RSA 3072, template "user").</summary>
[Trait("Category", "Component")]
public sealed class CaConnectorListTests : PortalComponentTest, IDisposable
{
    private const string Passphrase = "Import-Passw0rd";
    private readonly DatabaseGate _gate = new("\"CaConnectors\"");
    private readonly TempDirectory _dir = new("ctp-ca-list");

    public override Task InitializeAsync() =>
        UseCoreAsync(configure: s => s.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(_gate)));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void CaPages_AuthorizeAttribute_IsTheViewCaConnectorsPolicy()
    {
        foreach (var page in new[] { typeof(CaConnectorList), typeof(CaConnectorDetails) })
        {
            Assert.Contains(RolePermissions.PolicyName(Permission.ViewCaConnectors), page.GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy));
        }
        Assert.Equal("/cas", typeof(CaConnectorList).GetCustomAttribute<RouteAttribute>()!.Template);
        Assert.Equal("/cas/{Name}", typeof(CaConnectorDetails).GetCustomAttribute<RouteAttribute>()!.Template);
    }

    [Fact]
    public void Render_Admin_ListsDefaultCaWithItsFactsAndTheAdminButtons()
    {
        LogInAs(PortalRoles.Admin);

        var cut = RenderWithProviders<CaConnectorList>();

        cut.WaitForElement("[data-testid=ca-name]", Patience);
        var row = Row(cut, "localCA");
        Assert.Equal("cas/localCA", row.QuerySelector("a[data-testid=ca-name]")!.GetAttribute("href"));
        Assert.Equal("local", Text(row, "ca-list-type"));
        Assert.Equal("CN=CertTokenPortal Root CA", Text(row, "ca-list-subject"));
        Assert.Equal("RSA 3072", Text(row, "ca-list-key"));
        Assert.Equal("2", Text(row, "ca-list-templates")); // user and server
        Assert.StartsWith("#1, next ", Text(row, "ca-list-crl"));
        Assert.Equal("0", Text(row, "ca-list-issued"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}$", Text(row, "ca-list-validity"));
        Assert.NotEmpty(cut.FindAll("[data-testid=ca-create]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=ca-import]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=ca-create-subordinate]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=ca-create-approval]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=ca-delete-localCA]"));
    }

    [Fact]
    public void Render_Helpdesk_SameListWithoutActionButtons()
    {
        LogInAs(PortalRoles.Helpdesk);

        var cut = RenderWithProviders<CaConnectorList>();

        cut.WaitForElement("[data-testid=ca-name]", Patience);
        Assert.Equal("RSA 3072", Text(Row(cut, "localCA"), "ca-list-key"));
        Assert.Empty(cut.FindAll("[data-testid=ca-create], [data-testid=ca-import], [data-testid=ca-create-subordinate], [data-testid=ca-create-approval], [data-testid^=ca-delete-]"));
    }

    [Fact]
    public void Render_EndUserPastTheRouter_ShowsCoreRefusal()
    {
        LogInAs(PortalRoles.User);

        var cut = RenderWithProviders<CaConnectorList>();

        cut.WaitForAssertion(() => Assert.Equal("Only admins and helpdesk staff may view CA connectors.",
            cut.Find("[data-testid=cas-load-error]").TextContent.Trim()), Patience);
        Assert.Empty(cut.FindAll("[data-testid=ca-name], [data-testid=ca-create]"));
    }

    [Fact]
    public async Task Render_NoCa_SaysHowToStart()
    {
        await using (var db = Core.NewDb())
        {
            await db.CaConnectors.ExecuteDeleteAsync();
        }
        LogInAs(PortalRoles.Admin);

        var cut = RenderWithProviders<CaConnectorList>();

        cut.WaitForAssertion(() => Assert.Contains("Create a root CA or import an existing one", cut.Find("[data-testid=cas-empty]").TextContent), Patience);
        Assert.Empty(cut.FindAll("[data-testid=cas-table]"));
    }

    [Fact]
    public void Render_DatabaseSlow_ShowsLoadingThenTheList()
    {
        LogInAs(PortalRoles.Helpdesk);
        _gate.Close();

        var cut = RenderWithProviders<CaConnectorList>();

        cut.WaitForElement("[data-testid=cas-loading]", Patience);
        Assert.Empty(cut.FindAll("[data-testid=ca-name]"));
        _gate.Open();
        cut.WaitForElement("[data-testid=ca-name]", Patience);
        Assert.Empty(cut.FindAll("[data-testid=cas-loading]"));
    }

    [Fact]
    public async Task Create_EcRoot_SavesCaAndOpensItsPage()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<CaConnectorList>();
        cut.WaitForElement("[data-testid=ca-create]", Patience).Click();
        cut.WaitForElement("[data-testid=create-ca-submit]", Patience);

        Input(cut, "create-ca-name").Change("team-ca");
        Input(cut, "create-ca-subject").Change("CN=Team Root CA,O=Example");
        Choose(cut, "create-ca-key", "EC P-384");
        Input(cut, "create-ca-validity").Change("730");
        cut.Find("[data-testid=create-ca-submit]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/cas/team-ca", Navigation.Uri), Patience);
        Assert.Contains("Root CA team-ca created.", cut.Find(".mud-snackbar").TextContent);
        await using var db = Core.NewDb();
        var saved = await db.LocalCas.Include(l => l.CaConnector).SingleAsync(l => l.CaConnector.Name == "team-ca");
        Assert.Equal(("CN=Team Root CA, O=Example", "EC P-384"), (saved.Subject, saved.KeyDescription));
        Assert.Equal(1, saved.CrlNumber);
    }

    [Fact]
    public async Task Create_SubjectNotADistinguishedName_ShowsCoreMessageKeepsDialogAndSavesNothing()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<CaConnectorList>();
        cut.WaitForElement("[data-testid=ca-create]", Patience).Click();
        cut.WaitForElement("[data-testid=create-ca-submit]", Patience);

        Input(cut, "create-ca-name").Change("broken-ca");
        Input(cut, "create-ca-subject").Change("just some words");
        cut.Find("[data-testid=create-ca-submit]").Click();

        // Core's refusal, under the field it is about and nowhere else.
        cut.WaitForAssertion(() => Assert.Equal("'just some words' is not a distinguished name; write it like 'CN=Example Root CA,O=Example'.",
            ErrorUnder(cut, "create-ca-subject")), Patience);
        Assert.Empty(cut.FindAll("[data-testid=create-ca-problem]"));
        Assert.Empty(cut.FindAll(".mud-snackbar"));
        Assert.NotEmpty(cut.FindAll("[data-testid=create-ca-submit]"));
        Assert.EndsWith("/", Navigation.Uri);
        await using var db = Core.NewDb();
        Assert.False(await db.CaConnectors.AnyAsync(c => c.Name == "broken-ca"));
    }

    [Fact]
    public async Task CreateSubordinate_UnderLocalCa_SavesCaSignedByItAndOpensItsPage()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<CaConnectorList>();
        cut.WaitForElement("[data-testid=ca-create-subordinate]", Patience).Click();
        cut.WaitForElement("[data-testid=create-ca-submit]", Patience);

        Input(cut, "create-ca-name").Change("issuing");
        Input(cut, "create-ca-subject").Change("CN=Issuing CA,O=Example");
        Choose(cut, "create-ca-key", "EC P-256");
        // The only local CA is chosen already; the validity starts at five years.
        Assert.Equal("localCA", cut.Find("[data-testid=create-ca-parent]").TextContent.Trim());
        Assert.Equal("1825", Input(cut, "create-ca-validity").GetAttribute("value"));
        cut.Find("[data-testid=create-ca-submit]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/cas/issuing", Navigation.Uri), Patience);
        Assert.Contains("Subordinate CA issuing created, signed by localCA.", cut.Find(".mud-snackbar").TextContent);
        await using var db = Core.NewDb();
        var saved = await db.LocalCas.Include(l => l.CaConnector).SingleAsync(l => l.CaConnector.Name == "issuing");
        var root = await db.LocalCas.SingleAsync(l => l.CaConnector.Name == "localCA");
        var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(saved.CertificatePem);
        Assert.Equal(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(root.CertificatePem).SubjectName.RawData,
            certificate.IssuerName.RawData);
        var chain = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        chain.ImportFromPem(saved.ChainPem);
        Assert.Equal(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(root.CertificatePem).Thumbprint, Assert.Single(chain).Thumbprint);
    }

    [Fact]
    public async Task CreateSubordinate_OutlivesParent_CoreMessageUnderValidityUntilChanged()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<CaConnectorList>();
        cut.WaitForElement("[data-testid=ca-create-subordinate]", Patience).Click();
        cut.WaitForElement("[data-testid=create-ca-submit]", Patience);

        Input(cut, "create-ca-name").Change("too-long");
        Input(cut, "create-ca-subject").Change("CN=Too Long");
        Choose(cut, "create-ca-key", "EC P-256");
        Input(cut, "create-ca-validity").Change("9000");
        cut.Find("[data-testid=create-ca-submit]").Click();

        cut.WaitForAssertion(() => Assert.Matches(@"^validity_days: the parent 'localCA' is valid until \d{4}-\d\d-\d\d; a CA below it can be valid at most \d+ days\.$",
            ErrorUnder(cut, "create-ca-validity")), Patience);
        Assert.Empty(cut.FindAll("[data-testid=create-ca-problem]")); // said once, under its field
        Assert.Empty(cut.FindAll(".mud-snackbar"));
        await using (var db = Core.NewDb())
        {
            Assert.False(await db.CaConnectors.AnyAsync(c => c.Name == "too-long"));
        }

        Input(cut, "create-ca-validity").Change("400");
        cut.WaitForAssertion(() => Assert.Null(ErrorUnder(cut, "create-ca-validity")), Patience);
    }

    [Fact]
    public async Task CreateSubordinate_NameTaken_CoreMessageUnderTheNameField()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<CaConnectorList>();
        cut.WaitForElement("[data-testid=ca-create-subordinate]", Patience).Click();
        cut.WaitForElement("[data-testid=create-ca-submit]", Patience);

        Input(cut, "create-ca-name").Change("localCA");
        Input(cut, "create-ca-subject").Change("CN=Copy");
        Choose(cut, "create-ca-key", "EC P-256");
        cut.Find("[data-testid=create-ca-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal("A CA connector named 'localCA' already exists.", ErrorUnder(cut, "create-ca-name")), Patience);
        await using var db = Core.NewDb();
        Assert.Equal(1, await db.CaConnectors.CountAsync());
    }

    [Fact]
    public async Task CreateApproval_SignedByLocalCa_SavesItWithTheSignersTemplatesAndOpensItsPage()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<CaConnectorList>();
        cut.WaitForElement("[data-testid=ca-create-approval]", Patience).Click();
        cut.WaitForElement("[data-testid=approval-ca-submit]", Patience);

        Input(cut, "approval-ca-name").Change("gated");
        Assert.Equal("localCA", cut.Find("[data-testid=approval-ca-signer]").TextContent.Trim());
        cut.Find("[data-testid=approval-ca-submit]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/cas/gated", Navigation.Uri), Patience);
        Assert.Contains("Approval CA gated created; localCA signs what is approved.", cut.Find(".mud-snackbar").TextContent);
        await using var db = Core.NewDb();
        var saved = await db.CaConnectors.Include(c => c.Templates).SingleAsync(c => c.Name == "gated");
        Assert.Equal("approval", saved.Type);
        Assert.Equal(["server", "user"], saved.Templates.Select(t => t.Name).Order());
    }

    [Fact]
    public async Task CreateApproval_EmptyForm_BothFieldsSayWhatIsMissingAndNothingSaved()
    {
        // A second local CA, so that no signer is chosen in advance.
        await Core.InScopeAsync(sp => sp.GetRequiredService<CertTokenPortal.Core.CaConnectors.Local.Administration.CreateLocalRootCaCommand>()
            .ExecuteAsync(TestPki.Admin, new("second", "CN=Second") { KeyType = "ec" }));
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<CaConnectorList>();
        cut.WaitForElement("[data-testid=ca-create-approval]", Patience).Click();
        cut.WaitForElement("[data-testid=approval-ca-submit]", Patience).Click();

        cut.WaitForAssertion(() => Assert.Equal("Enter a name.", ErrorUnder(cut, "approval-ca-name")), Patience);
        Assert.Equal("Choose the local CA that signs approved requests.", ErrorUnder(cut, "approval-ca-signer"));
        Assert.Empty(cut.FindAll(".mud-snackbar"));
        await using var check = Core.NewDb();
        Assert.Equal(2, await check.CaConnectors.CountAsync());
    }

    [Fact]
    public async Task CreateApproval_NameTaken_CoreMessageUnderTheNameFieldNotAbove()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<CaConnectorList>();
        cut.WaitForElement("[data-testid=ca-create-approval]", Patience).Click();
        cut.WaitForElement("[data-testid=approval-ca-submit]", Patience);

        Input(cut, "approval-ca-name").Change("localCA");
        cut.Find("[data-testid=approval-ca-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal("A CA connector named 'localCA' already exists.", ErrorUnder(cut, "approval-ca-name")), Patience);
        Assert.Empty(cut.FindAll("[data-testid=approval-ca-problem]"));
        await using var db = Core.NewDb();
        Assert.Equal(1, await db.CaConnectors.CountAsync());
    }

    [Fact]
    public async Task Import_PastedPemCertificateAndEncryptedKey_SavesCa()
    {
        var (certificate, key) = OpenSslRoot("Pasted Root", encryptKey: true);
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<CaConnectorList>();
        cut.WaitForElement("[data-testid=ca-import]", Patience).Click();
        cut.WaitForElement("[data-testid=import-ca-submit]", Patience);

        Input(cut, "import-ca-name").Change("pasted-ca");
        Input(cut, "import-ca-cert", "textarea").Change(certificate);
        Input(cut, "import-ca-key", "textarea").Change(key);
        Input(cut, "import-ca-key-password").Change(Passphrase);
        cut.Find("[data-testid=import-ca-submit]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/cas/pasted-ca", Navigation.Uri), Patience);
        await using var db = Core.NewDb();
        Assert.Equal("CN=Pasted Root", (await db.LocalCas.SingleAsync(l => l.CaConnector.Name == "pasted-ca")).Subject);
    }

    [Fact]
    public async Task Import_Pkcs12FileUpload_SavesCa()
    {
        var pkcs12 = OpenSslPkcs12("Uploaded Root");
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<CaConnectorList>();
        cut.WaitForElement("[data-testid=ca-import]", Patience).Click();
        cut.WaitForElement("[data-testid=import-ca-submit]", Patience);

        Input(cut, "import-ca-name").Change("uploaded-ca");
        cut.Find("[data-testid=import-ca-format-pkcs12]").Click();
        cut.WaitForElement("[data-testid=import-ca-pkcs12-file]", Patience);
        cut.FindComponents<InputFile>().Single().UploadFiles(InputFileContent.CreateFromBinary(pkcs12, "root.p12"));
        cut.WaitForAssertion(() => Assert.Equal("root.p12", cut.Find("[data-testid=import-ca-pkcs12-name]").TextContent.Trim()), Patience);
        Input(cut, "import-ca-pkcs12-password").Change(Passphrase);
        cut.Find("[data-testid=import-ca-submit]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/cas/uploaded-ca", Navigation.Uri), Patience);
        await using var db = Core.NewDb();
        Assert.Equal("CN=Uploaded Root", (await db.LocalCas.SingleAsync(l => l.CaConnector.Name == "uploaded-ca")).Subject);
    }

    [Fact]
    public async Task Import_Pkcs12WrongPassword_ShowsCoreMessageKeepsDialogAndSavesNothing()
    {
        var pkcs12 = OpenSslPkcs12("Refused Root");
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<CaConnectorList>();
        cut.WaitForElement("[data-testid=ca-import]", Patience).Click();
        cut.WaitForElement("[data-testid=import-ca-submit]", Patience);

        Input(cut, "import-ca-name").Change("refused-ca");
        cut.Find("[data-testid=import-ca-format-pkcs12]").Click();
        cut.WaitForElement("[data-testid=import-ca-pkcs12-file]", Patience);
        cut.FindComponents<InputFile>().Single().UploadFiles(InputFileContent.CreateFromBinary(pkcs12, "root.p12"));
        cut.WaitForAssertion(() => Assert.Equal("root.p12", cut.Find("[data-testid=import-ca-pkcs12-name]").TextContent.Trim()), Patience);
        Input(cut, "import-ca-pkcs12-password").Change("not the password");
        cut.Find("[data-testid=import-ca-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("The PKCS#12 file cannot be opened: the password is wrong or the file is damaged.",
            cut.Find("[data-testid=import-ca-problem]").TextContent), Patience);
        Assert.Empty(cut.FindAll(".mud-snackbar"));
        Assert.NotEmpty(cut.FindAll("[data-testid=import-ca-submit]"));
        await using var db = Core.NewDb();
        Assert.False(await db.CaConnectors.AnyAsync(c => c.Name == "refused-ca"));
    }

    [Fact]
    public async Task Delete_CaThatIssued_ShowsCoreRefusalAndKeepsIt()
    {
        await TestPki.IssueAsync(Core, "localCA", TestPki.OpenSslCsr(_dir, ["rsa:2048"]));
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<CaConnectorList>();
        cut.WaitForElement("[data-testid=ca-delete-localCA]", Patience).Click();
        cut.WaitForElement("[data-testid=confirm-ok]", Patience).Click();

        cut.WaitForAssertion(() => Assert.Contains("The CA 'localCA' has issued 1 certificate(s) and cannot be deleted",
            cut.Find(".mud-snackbar").TextContent), Patience);
        Assert.Equal("1", Text(Row(cut, "localCA"), "ca-list-issued"));
        await using var db = Core.NewDb();
        Assert.True(await db.CaConnectors.AnyAsync(c => c.Name == "localCA"));
    }

    [Fact]
    public async Task Delete_UnusedCaConfirmed_RemovesItFromListAndDatabase()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<CaConnectorList>();
        cut.WaitForElement("[data-testid=ca-delete-localCA]", Patience).Click();
        cut.WaitForElement("[data-testid=confirm-ok]", Patience).Click();

        cut.WaitForElement("[data-testid=cas-empty]", Patience);
        Assert.Contains("CA connector localCA deleted.", cut.Find(".mud-snackbar").TextContent);
        await using var db = Core.NewDb();
        Assert.False(await db.CaConnectors.AnyAsync());
    }

    [Fact]
    public async Task Delete_Cancelled_KeepsCa()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<CaConnectorList>();
        cut.WaitForElement("[data-testid=ca-delete-localCA]", Patience).Click();
        cut.WaitForElement("[data-testid=confirm-cancel]", Patience).Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=confirm-dialog]")), Patience);
        await using var db = Core.NewDb();
        Assert.True(await db.CaConnectors.AnyAsync(c => c.Name == "localCA"));
    }

    private NavigationManager Navigation => Context.Services.GetRequiredService<NavigationManager>();

    private static IElement Row(IRenderedComponent<ContainerFragment> cut, string name) =>
        cut.FindAll("tr").Single(r => r.QuerySelector("[data-testid=ca-name]")?.TextContent.Trim() == name);

    private static string Text(IElement row, string testId) => row.QuerySelector($"[data-testid={testId}]")!.TextContent.Trim();

    private static IElement Input(IRenderedComponent<ContainerFragment> cut, string testId, string element = "input") =>
        cut.Find($"{element}[data-testid={testId}], [data-testid={testId}] {element}");

    /// <summary>The validation message under a field, or null when it shows none.</summary>
    private static string? ErrorUnder(IRenderedComponent<ContainerFragment> cut, string testId)
    {
        var field = cut.Find($"[data-testid={testId}]");
        var control = field.Closest(".mud-input-control") ?? field.QuerySelector(".mud-input-control");
        return control?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() is { Length: > 0 } text ? text : null;
    }

    private static void Choose(IRenderedComponent<ContainerFragment> cut, string testId, string item)
    {
        cut.Find($".mud-select [data-testid={testId}]").ParentElement!.ParentElement!.MouseDown();
        cut.WaitForElement(".mud-popover-open .mud-list-item", Patience);
        cut.FindAll(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == item).Click();
    }

    /// <summary>A root CA made by openssl: its PEM certificate and PEM key (encrypted PKCS#8 when asked).</summary>
    private (string Certificate, string Key) OpenSslRoot(string commonName, bool encryptKey = false)
    {
        ExternalTool.OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", _dir.File("root.key"),
            "-subj", $"/CN={commonName}", "-days", "30", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", _dir.File("root.pem"));
        if (encryptKey)
        {
            ExternalTool.OpenSsl("pkcs8", "-topk8", "-in", _dir.File("root.key"), "-v2", "aes-256-cbc", "-passout", $"pass:{Passphrase}",
                "-out", _dir.File("root.enc.key"));
        }
        return (File.ReadAllText(_dir.File("root.pem")), File.ReadAllText(_dir.File(encryptKey ? "root.enc.key" : "root.key")));
    }

    private byte[] OpenSslPkcs12(string commonName)
    {
        OpenSslRoot(commonName);
        ExternalTool.OpenSsl("pkcs12", "-export", "-in", _dir.File("root.pem"), "-inkey", _dir.File("root.key"),
            "-passout", $"pass:{Passphrase}", "-out", _dir.File("root.p12"));
        return File.ReadAllBytes(_dir.File("root.p12"));
    }
}
