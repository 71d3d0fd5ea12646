using System.Security.Cryptography.X509Certificates;
using System.Text;
using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using TokenDetailsPage = CertTokenPortal.Components.Pages.Tokens.TokenDetails;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages.Tokens;

[Trait("Category", "Component")]
public sealed class TokenDetailsTests : PortalComponentTest
{

    public override async Task InitializeAsync()
    {
        await UseCoreAsync();
        await Core.CreateUserAsync("alice");
        await Core.CreateUserAsync("bob");
    }

    [Fact]
    public void Render_LoginPending_ShowsLoading()
    {
        LogInPending();

        var cut = Render("CRT00000001");

        Assert.NotEmpty(cut.FindAll("[data-testid=token-loading]"));
    }

    [Fact]
    public void Render_UnknownSerial_SaysSoInline()
    {
        LogInAs(PortalRoles.Helpdesk);

        var cut = Render("CRT0BADBAD0");

        cut.WaitForAssertion(() => Assert.Equal("There is no token with serial 'CRT0BADBAD0'.", Text(cut, "token-error")), Patience);
        Assert.Empty(cut.FindAll("[data-testid=certificate-fields]"));
    }

    [Fact]
    public async Task Render_UserOpensSomeoneElsesToken_IsRefusedAsNotFoundWithoutDetails()
    {
        var token = await Core.EnrolCsrAsync("bob", "bobs");
        LogInAs(PortalRoles.User, "alice");

        var cut = Render(token.Serial);

        // Another user's token reads exactly like an unknown serial, so the page does not reveal that it exists.
        cut.WaitForAssertion(() => Assert.Equal($"There is no token with serial '{token.Serial}'.", Text(cut, "token-error")), Patience);
        Assert.Empty(cut.FindAll("[data-testid=certificate-fields]"));
        Assert.Empty(cut.FindAll("[data-testid=token-revoke]"));
    }

    [Fact]
    public async Task Render_TokenWithInfoSetByAdmin_ShowsEachEntryToTheOwner()
    {
        var token = await Core.EnrolCsrAsync("alice", "alices");
        var set = await Core.InScopeAsync(sp => sp.GetRequiredService<Core.Tokens.Info.SetTokenInfoCommand>()
            .ExecuteAsync(Actor.System, new Core.Tokens.Info.TokenInfoValue(token.Serial, "inventory", "INV-<b>4711</b>")));
        Assert.True(set.IsSuccess, set.Error?.Message);
        LogInAs(PortalRoles.User, "alice");

        var cut = Render(token.Serial);

        cut.WaitForElement("[data-testid=token-info-inventory]", Patience);
        Assert.Equal("INV-<b>4711</b>", Text(cut, "token-info-inventory"));
    }

    [Fact]
    public async Task Render_EnrolledToken_ShowsEveryCertificateFieldAsOpenSslReadsIt()
    {
        var token = (await Core.EnrolAsync(new EnrolmentRequest
        {
            UserName = "alice", CaName = "localCA", TemplateName = "server", Csr = TestCsrs.Rsa("web", "web.example.test", "www.example.test"),
        })).Token;
        LogInAs(PortalRoles.Helpdesk);

        var cut = Render(token.Serial);

        cut.WaitForElement("[data-testid=certificate-fields]", Patience);
        using var certificate = X509Certificate2.CreateFromPem(token.CertificatePem!);
        var fingerprint = ExternalTool.Run("openssl", ["x509", "-noout", "-fingerprint", "-sha256"], standardInput: Encoding.ASCII.GetBytes(token.CertificatePem!));
        Assert.Equal(0, fingerprint.ExitCode);
        Assert.Equal(fingerprint.StdOut.Trim().Split('=')[1], Text(cut, "cert-fingerprint"));
        Assert.Equal("CN=web", Text(cut, "cert-subject"));
        Assert.Equal(["DNS:web.example.test", "DNS:www.example.test"], cut.Find("[data-testid=cert-sans]").QuerySelectorAll(".mud-chip").Select(c => c.TextContent.Trim()));
        Assert.Equal("CN=CertTokenPortal Root CA", Text(cut, "cert-issuer"));
        Assert.Equal(certificate.SerialNumber, Text(cut, "cert-serial"));
        Assert.Equal($"{certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC", Text(cut, "cert-not-after"));
        Assert.Equal("RSA 2048", Text(cut, "cert-key"));
        Assert.Equal("digitalSignature, keyEncipherment", Text(cut, "cert-key-usage"));
        Assert.Equal("serverAuth", Text(cut, "cert-eku"));
        Assert.Equal("sha256WithRSAEncryption", Text(cut, "cert-signature"));
        Assert.Equal(token.CertificatePem!.Trim(), Text(cut, "token-pem"));
        Assert.Equal("alice · realm default", Text(cut, "token-owner"));
        // Each download button names the file it saves, so a screen reader can tell them apart.
        Assert.Contains(cut.FindAll("[data-testid=token-downloads] button"), b => b.GetAttribute("aria-label") == $"Download {token.Serial}.p7b");
        Assert.Equal("localCA · server", Text(cut, "token-ca"));
    }

    [Theory]
    [InlineData(PortalRoles.Admin, "admin", true, true)]
    [InlineData(PortalRoles.Helpdesk, "helen", false, false)]
    [InlineData(PortalRoles.User, "alice", false, true)]
    public async Task Render_GeneratedKeyToken_OffersWhatTheRoleAllows(string role, string userName, bool delete, bool pkcs12)
    {
        var token = (await Core.EnrolAsync(new EnrolmentRequest { UserName = "alice", CaName = "localCA", GenerateKey = true, KeyType = "ec" })).Token;
        LogInAs(role, userName);

        var cut = Render(token.Serial);

        cut.WaitForElement("[data-testid=certificate-fields]", Patience);
        Assert.NotEmpty(cut.FindAll("[data-testid=token-revoke]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=download-p7b]"));
        Assert.Equal(delete, cut.FindAll("[data-testid=token-delete]").Count == 1);
        Assert.Equal(pkcs12, cut.FindAll("[data-testid=download-pkcs12]").Count == 1);
        Assert.NotEmpty(cut.FindAll("[data-testid=token-description]"));
    }

    [Fact]
    public async Task Revoke_WithReason_ShowsRevocationAtOnceAndHidesRevoke()
    {
        var token = await Core.EnrolCsrAsync("alice", "revoke-here");
        LogInAs(PortalRoles.User, "alice");
        var cut = Render(token.Serial);
        cut.WaitForElement("[data-testid=token-revoke]", Patience).Click();
        cut.WaitForElement("[data-testid=revoke-confirm]", Patience);

        cut.Find("[data-testid=revoke-reason]").ParentElement!.ParentElement!.MouseDown();
        cut.WaitForElement(".mud-popover-open .mud-list-item", Patience);
        cut.FindAll(".mud-popover-open .mud-list-item").Single(i => i.QuerySelector("[data-reason=keyCompromise]") is not null).Click();
        cut.WaitForAssertion(() => Assert.Contains("lost, stolen or exposed", Text(cut, "revoke-reason-help")), Patience);
        cut.Find("[data-testid=revoke-confirm]").Click();

        cut.WaitForAssertion(() => Assert.Equal("revoked", Text(cut, "token-state")), Patience);
        Assert.Contains("Key compromise", Text(cut, "token-revocation"));
        Assert.Contains("keyCompromise", Text(cut, "token-revocation"));
        Assert.Empty(cut.FindAll("[data-testid=token-revoke]"));
        Assert.True((await Core.FindTokenAsync(token.Serial))?.Revoked);
    }

    [Theory]
    [InlineData(PortalRoles.Admin, "admin", true)]
    [InlineData(PortalRoles.Helpdesk, "helen", false)]
    [InlineData(PortalRoles.User, "alice", false)]
    public async Task Revoke_Role_OffersReasonsInPlainWordsAndCaCompromiseOnlyToAdmins(string role, string userName, bool caCompromise)
    {
        var token = await Core.EnrolCsrAsync("alice", "reasons");
        LogInAs(role, userName);
        var cut = Render(token.Serial);
        cut.WaitForElement("[data-testid=token-revoke]", Patience).Click();
        cut.WaitForElement("[data-testid=revoke-confirm]", Patience);

        cut.Find("[data-testid=revoke-reason]").ParentElement!.ParentElement!.MouseDown();
        cut.WaitForElement(".mud-popover-open .mud-list-item", Patience);

        var offered = cut.FindAll("[data-testid=revoke-reason-option]").ToDictionary(o => o.GetAttribute("data-reason")!, o => o.TextContent.Trim());
        Assert.Equal(caCompromise, offered.ContainsKey("cACompromise"));
        Assert.Equal("Key compromise", offered["keyCompromise"]);
        Assert.Equal("Superseded", offered["superseded"]);
        Assert.Equal("Temporarily on hold (certificate hold)", offered["certificateHold"]);
        // The RFC name is there too, in small print beside the words.
        Assert.Contains("keyCompromise", cut.FindAll(".mud-popover-open .mud-list-item").Single(i => i.QuerySelector("[data-reason=keyCompromise]") is not null).TextContent);
        cut.FindAll(".mud-popover-open .mud-list-item").Single(i => i.QuerySelector("[data-reason=certificateHold]") is not null).Click();
        cut.WaitForAssertion(() => Assert.Contains("release the hold on the token page", Text(cut, "revoke-reason-help")), Patience);
    }

    [Fact]
    public async Task Revoke_UploadedCertificate_DialogAndDetailsSayNoCaWasAsked()
    {
        var issued = await TestPki.IssueAsync(Core, "localCA", TestCsrs.Ec("alice"));
        var token = (await Core.EnrolAsync(new EnrolmentRequest { UserName = "alice", CertificatePem = issued.Certificate.ExportCertificatePem() })).Token;
        LogInAs(PortalRoles.Helpdesk);
        var cut = Render(token.Serial);
        cut.WaitForAssertion(() => Assert.Equal("chains to CA 'localCA'", Text(cut, "token-upload-trust")), Patience);
        cut.WaitForElement("[data-testid=token-revoke]", Patience).Click();

        cut.WaitForAssertion(() => Assert.Contains("no CA is asked", Text(cut, "revoke-no-ca")), Patience);
        cut.Find("[data-testid=revoke-confirm]").Click();

        cut.WaitForAssertion(() => Assert.Contains("no CA was asked to revoke it", Text(cut, "token-revocation-note")), Patience);
        Assert.True((await Core.FindTokenAsync(token.Serial))?.Revoked);
    }

    [Fact]
    public async Task Revoke_Cancelled_ChangesNothing()
    {
        var token = await Core.EnrolCsrAsync("alice", "keep");
        LogInAs(PortalRoles.Helpdesk);
        var cut = Render(token.Serial);
        cut.WaitForElement("[data-testid=token-revoke]", Patience).Click();

        cut.WaitForElement("[data-testid=revoke-cancel]", Patience).Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=revoke-dialog]")), Patience);
        Assert.Equal("enrolled", Text(cut, "token-state"));
        Assert.False((await Core.FindTokenAsync(token.Serial))?.Revoked);
    }

    [Fact]
    public async Task Delete_Admin_RemovesTokenAndGoesBackToTheGrid()
    {
        var token = await Core.EnrolCsrAsync("alice", "delete-me");
        LogInAs(PortalRoles.Admin);
        var cut = Render(token.Serial);

        cut.WaitForElement("[data-testid=token-delete]", Patience).Click();
        cut.WaitForAssertion(() => Assert.Contains(token.Serial, Text(cut, "delete-question")), Patience);
        cut.Find("[data-testid=delete-confirm]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/tokens", Context.Services.GetRequiredService<NavigationManager>().Uri), Patience);
        Assert.Null(await Core.FindTokenAsync(token.Serial));
    }

    [Fact]
    public async Task Description_Saved_IsStoredAndShown()
    {
        var token = await Core.EnrolCsrAsync("alice", "described");
        LogInAs(PortalRoles.User, "alice");
        var cut = Render(token.Serial);

        cut.WaitForElement("[data-testid=token-description]", Patience).Change("Office laptop");
        cut.Find("[data-testid=token-description-save]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Description saved.", cut.Find(".mud-snackbar").TextContent), Patience);
        Assert.Equal("Office laptop", (await Core.FindTokenAsync(token.Serial))?.Description);
    }

    [Fact]
    public async Task Description_TooLong_ShowsCoreMessageAndKeepsOldOne()
    {
        var token = await Core.EnrolCsrAsync("alice", "short", description: "short");
        LogInAs(PortalRoles.Helpdesk);
        var cut = Render(token.Serial);

        cut.WaitForElement("[data-testid=token-description]", Patience).Change(new string('x', 1025));
        cut.Find("[data-testid=token-description-save]").Click();

        cut.WaitForAssertion(() => Assert.Contains("at most 1024 characters", cut.Find(".mud-snackbar").TextContent), Patience);
        Assert.Equal("short", (await Core.FindTokenAsync(token.Serial))?.Description);
    }

    [Fact]
    public async Task Disable_Switch_StoresInactiveAndMarksTheToken()
    {
        var token = await Core.EnrolCsrAsync("alice", "switch");
        LogInAs(PortalRoles.Helpdesk);
        var cut = Render(token.Serial);

        cut.WaitForElement("[data-testid=token-active]", Patience).Change(false);

        cut.WaitForElement("[data-testid=token-disabled]", Patience);
        Assert.False((await Core.FindTokenAsync(token.Serial))?.Active);
    }

    [Fact]
    public async Task Download_Pem_StreamsTheCertificateAsAFile()
    {
        var token = await Core.EnrolCsrAsync("alice", "download");
        LogInAs(PortalRoles.User, "alice");
        var saveFile = Context.JSInterop.SetupVoid("portal.saveFile", _ => true);
        var cut = Render(token.Serial);

        cut.WaitForElement("[data-testid=download-pem]", Patience).Click();

        cut.WaitForAssertion(() => Assert.Single(saveFile.Invocations), Patience);
        var invocation = saveFile.Invocations.Single();
        var reference = Assert.IsType<DotNetStreamReference>(invocation.Arguments[2]);
        using var reader = new StreamReader(reference.Stream, Encoding.ASCII);
        var pem = await reader.ReadToEndAsync();
        saveFile.SetVoidResult();
        Assert.Equal([$"{token.Serial}.pem", "application/x-pem-file"], invocation.Arguments.Take(2));
        Assert.Equal(token.CertificatePem, pem);
    }

    [Fact]
    public async Task Download_StoredPkcs12ByTheOwner_OpensWithTheTokenPin()
    {
        var token = (await Core.EnrolAsync(new EnrolmentRequest
        {
            UserName = "alice", CaName = "localCA", GenerateKey = true, KeyType = "ec", Pin = "alice-pin-42",
        })).Token;
        LogInAs(PortalRoles.User, "alice");
        var saveFile = Context.JSInterop.SetupVoid("portal.saveFile", _ => true);
        var cut = Render(token.Serial);

        cut.WaitForElement("[data-testid=download-pkcs12]", Patience).Click();

        cut.WaitForAssertion(() => Assert.Single(saveFile.Invocations), Patience);
        var invocation = saveFile.Invocations.Single();
        using var content = new MemoryStream();
        await Assert.IsType<DotNetStreamReference>(invocation.Arguments[2]).Stream.CopyToAsync(content);
        saveFile.SetVoidResult();
        Assert.Equal([$"{token.Serial}.p12", "application/x-pkcs12"], invocation.Arguments.Take(2));
        using var opened = X509CertificateLoader.LoadPkcs12(content.ToArray(), "alice-pin-42");
        Assert.True(opened.HasPrivateKey);
        Assert.Equal(token.CertificateSerial, opened.SerialNumber);
    }

    [Fact]
    public async Task CopyPem_BrowserAllows_SaysCopied()
    {
        var token = await Core.EnrolCsrAsync("alice", "copy");
        LogInAs(PortalRoles.Helpdesk);
        var copy = Context.JSInterop.Setup<bool>("portal.copyText", _ => true);
        copy.SetResult(true);
        var cut = Render(token.Serial);

        cut.WaitForElement("[data-testid=token-pem-copy]", Patience).Click();

        cut.WaitForAssertion(() => Assert.Contains("copied", cut.Find(".mud-snackbar").TextContent), Patience);
        Assert.Equal(token.CertificatePem, copy.Invocations.Single().Arguments[0]);
    }

    [Fact]
    public async Task Render_PendingToken_ShowsOutcomeAndRequestIdWithoutCertificate()
    {
        await using (var db = Core.NewDb())
        {
            db.Tokens.Add(new CertificateToken
            {
                Serial = "CRT0000AB12", OwnerUserName = "alice", OwnerRealm = "default", RolloutState = RolloutState.Pending,
                EnrolmentMode = EnrolmentModes.Request, CaName = "localCA", TemplateName = "user", RequestId = "REQ-42",
                CreatedBy = "helen", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow, Version = Guid.NewGuid(),
            });
            await db.SaveChangesAsync();
        }
        LogInAs(PortalRoles.Helpdesk);

        var cut = Render("CRT0000AB12");

        cut.WaitForAssertion(() => Assert.Equal("REQ-42", Text(cut, "token-request-id")), Patience);
        Assert.Equal("pending", Text(cut, "token-state"));
        Assert.Equal("no certificate", Text(cut, "token-expiry"));
        Assert.NotEmpty(cut.FindAll("[data-testid=token-no-certificate]"));
        Assert.Empty(cut.FindAll("[data-testid=download-pem]"));
    }

    private IRenderedComponent<ContainerFragment> Render(string serial) =>
        RenderWithProviders<TokenDetailsPage>(new Dictionary<string, object?> { [nameof(TokenDetailsPage.Serial)] = serial });

    private static string Text(IRenderedComponent<ContainerFragment> cut, string testId) => cut.Find($"[data-testid={testId}]").TextContent.Trim();
}
