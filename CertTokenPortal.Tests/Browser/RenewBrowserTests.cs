using CertTokenPortal.Core.CaConnectors.Local.Administration;
using CertTokenPortal.Core.CaConnectors.Templates;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CertTokenPortal.Tests.Browser;

/// <summary>
/// An end user renews their own token through the Renew dialog in a real browser, on the token page (same key) and on
/// My certificates (a new CSR made by openssl); openssl then reads the old and the new certificate. Each test uses a CA
/// of its own whose template issues for 20 days, so the user's renewal window (30 days before expiry) is open at once.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", "Browser")]
public sealed class RenewBrowserTests(BrowserPortal portal) : IDisposable
{
    private static readonly Actor Admin = new("admin", "default", PortalRoles.Admin, "127.0.0.1");

    // Playwright's assertions wait 5 s by default; CI shares two cores, so they wait as long as the page actions do.
    static RenewBrowserTests() => Assertions.SetDefaultExpectTimeout(BrowserPortal.TimeoutMs);

    private readonly TempDirectory _dir = new("ctp-renew-browser");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RenewDialog_OwnerSameKeyOnTheTokenPage_NewCertificateWithTheSameKey()
    {
        var (owner, token) = await ArrangeAsync("same");
        var page = await portal.NewPageAsync();
        await BrowserPortal.LoginAsync(page, owner, PortalUsers.Password);
        await page.GotoAsync($"tokens/{token.Serial}");
        await BrowserPortal.WaitForCircuitAsync(page);

        await page.GetByTestId($"token-renew-{token.Serial}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("renew-window")).ToContainTextAsync("Renewal is open");
        // The template lets renewal keep the key, so the dialog starts in that mode.
        await Assertions.Expect(page.GetByTestId("renew-confirm")).ToHaveTextAsync($"Renew {token.Serial}");
        await BrowserPortal.ScreenshotAsync(page, "renew-dialog-same-key");
        await page.GetByTestId("renew-confirm").ClickAsync();

        await Assertions.Expect(page.GetByTestId("renew-dialog")).ToHaveCountAsync(0);
        // The page reloads the token: the history lists the old certificate and the new one.
        await Assertions.Expect(page.GetByTestId("token-certificate-row")).ToHaveCountAsync(2);
        var shown = (await page.GetByTestId("token-pem").InnerTextAsync()).Trim();
        Assert.Equal(await CurrentPemAsync(token.Serial), shown);
        var (before, after) = (Read(token.CertificatePem!, "old"), Read(shown, "new"));
        Assert.NotEqual(before.Serial, after.Serial);
        Assert.True(after.NotBefore > before.NotBefore, $"notBefore {after.NotBefore:u} is not after the old {before.NotBefore:u}.");
        Assert.Equal(before.PublicKey, after.PublicKey);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RenewDialog_OwnerNewCsrOnMyCertificates_NewCertificateForTheCsrsKey()
    {
        var (owner, token) = await ArrangeAsync("csr");
        var csr = TestPki.OpenSslCsr(_dir, ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"], $"/CN={owner}-renewed");
        var page = await portal.NewPageAsync();
        await BrowserPortal.LoginAsync(page, owner, PortalUsers.Password);
        await Assertions.Expect(page.GetByTestId("my-token")).ToHaveAttributeAsync("data-serial", token.Serial);

        await page.GetByTestId($"token-renew-{token.Serial}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("renew-window")).ToContainTextAsync("Renewal is open");
        await page.GetByTestId("renew-new-csr").ClickAsync();
        var csrField = page.Locator("textarea[data-testid=renew-csr], [data-testid=renew-csr] textarea");
        await csrField.FillAsync(csr);
        await csrField.BlurAsync(); // the field binds on change
        await Assertions.Expect(page.GetByTestId("renew-confirm")).ToBeEnabledAsync();
        await Assertions.Expect(page.GetByTestId("renew-confirm")).ToContainTextAsync($"Rekey {token.Serial}");
        await BrowserPortal.ScreenshotAsync(page, "renew-dialog-new-csr");
        await page.GetByTestId("renew-confirm").ClickAsync();

        await Assertions.Expect(page.GetByTestId("renew-dialog")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"Token {token.Serial} is renewed");
        var (before, after) = (Read(token.CertificatePem!, "old"), Read(await CurrentPemAsync(token.Serial), "new"));
        Assert.NotEqual(before.Serial, after.Serial);
        Assert.True(after.NotBefore > before.NotBefore, $"notBefore {after.NotBefore:u} is not after the old {before.NotBefore:u}.");
        Assert.NotEqual(before.PublicKey, after.PublicKey);
        Assert.Equal(ExternalTool.OpenSsl("req", "-in", _dir.File("req.csr"), "-noout", "-pubkey").StdOut.Trim(), after.PublicKey);
        Assert.Contains($"CN={owner}-renewed", after.Subject.Replace(" ", ""));
        await page.Context.CloseAsync();
    }

    /// <summary>An end user with one enrolled token from a CA of this test's own, whose template issues for 20 days.</summary>
    private async Task<(string Owner, TokenView Token)> ArrangeAsync(string prefix)
    {
        var unique = Guid.NewGuid().ToString("N")[..6];
        var (owner, ca) = ($"renew{prefix}{unique}", $"renew-{prefix}-{unique}");
        await CaBrowserTests.CreateUserAsync(portal, owner, PortalRoles.User);
        await InScopeAsync(sp => sp.GetRequiredService<CreateLocalRootCaCommand>().ExecuteAsync(Admin, new NewRootCaRequest(ca, $"CN={ca}") { KeyType = "ec" }));
        await InScopeAsync(sp => sp.GetRequiredService<SetTemplateCommand>().ExecuteAsync(Admin, ca,
            new TemplateRequest("short", 20) { KeyUsage = "digitalSignature", ExtendedKeyUsage = "clientAuth", SubjectSource = "csr", AllowedRdns = "CN", MakeDefault = true }));
        var enrolled = await InScopeAsync(sp => sp.GetRequiredService<EnrolTokenCommand>().ExecuteAsync(Admin,
            new EnrolmentRequest { UserName = owner, Realm = "default", CaName = ca, TemplateName = "short", Csr = TestCsrs.Ec(owner) }));
        return (owner, enrolled.Token);
    }

    private async Task<string> CurrentPemAsync(string serial)
    {
        await using var db = portal.Portal.NewDb();
        return (await db.Tokens.AsNoTracking().SingleAsync(t => t.Serial == serial)).CertificatePem!.Trim();
    }

    /// <summary>What openssl reads from the certificate: serial, notBefore, subject and the public key (PEM).</summary>
    private (string Serial, DateTime NotBefore, string Subject, string PublicKey) Read(string pem, string name)
    {
        var file = _dir.File($"{name}.pem");
        File.WriteAllText(file, pem);
        var fields = ExternalTool.OpenSsl("x509", "-in", file, "-noout", "-serial", "-startdate", "-subject", "-nameopt", "RFC2253").StdOut
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        var notBefore = DateTime.ParseExact(fields["notBefore"].Replace("  ", " "), "MMM d HH:mm:ss yyyy 'GMT'",
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
        var publicKey = ExternalTool.OpenSsl("x509", "-in", file, "-noout", "-pubkey").StdOut.Trim();
        return (fields["serial"], notBefore, fields["subject"], publicKey);
    }

    private async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<Result<T>>> action)
    {
        using var scope = portal.Portal.Services.CreateScope();
        var result = await action(scope.ServiceProvider);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }
}
