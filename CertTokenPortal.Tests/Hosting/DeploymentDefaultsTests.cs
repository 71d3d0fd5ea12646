using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Secrets;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Hosting;

/// <summary>
/// What a production deployment gets without configuring anything: security headers, HSTS over HTTPS, forwarded
/// headers only from configured proxies, Secure cookies over TLS, an owner-only data directory, and (configured) a
/// key ring encrypted with a certificate.
/// </summary>
[Trait("Category", "Api")]
public sealed class DeploymentDefaultsTests(DeploymentDefaultsTests.ProductionBehindProxy portal) : IClassFixture<DeploymentDefaultsTests.ProductionBehindProxy>
{
    /// <summary>The Production environment, behind a proxy at 10.0.0.5.</summary>
    public sealed class ProductionBehindProxy() : PortalFactory(new Dictionary<string, string?> { ["Portal:Proxy:KnownProxies:0"] = "10.0.0.5" })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/token/")]
    public async Task AnyAnswer_InProduction_CarriesTheSecurityHeaders(string path)
    {
        using var client = portal.CreateNonRedirectingClient();

        using var response = await client.GetAsync(path);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self' 'nonce-", csp);
        Assert.DoesNotContain("unsafe-inline' 'unsafe-eval", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task LoginPage_ImportMap_CarriesTheNonceOfTheCsp()
    {
        using var client = portal.CreateNonRedirectingClient();

        using var response = await client.GetAsync("/login");
        var html = await response.Content.ReadAsStringAsync();

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var nonce = System.Text.RegularExpressions.Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        // Compared as the whole tag, so that a failure shows what the page carried instead of the start of the document.
        var importMap = System.Text.RegularExpressions.Regex.Match(html, "<script type=\"importmap\"[^>]*>").Value;
        Assert.Equal($"<script type=\"importmap\" nonce=\"{nonce}\">", importMap);
    }

    [Fact]
    public async Task Https_InProduction_AddsHsts()
    {
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://portal.example/"), AllowAutoRedirect = false });

        using var response = await client.GetAsync("/login");

        Assert.Contains("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task Http_NoHsts()
    {
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://portal.example/"), AllowAutoRedirect = false });

        using var response = await client.GetAsync("/login");

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Login_ThroughTheKnownTlsProxy_SetsSecureCookieAndTakesTheForwardedClientAddress()
    {
        using var response = await PostLoginThroughAsync(proxy: "10.0.0.5", forwardedFor: "198.51.100.7");

        Assert.Contains("secure", AuthCookie(response), StringComparison.OrdinalIgnoreCase);
        await using var db = portal.NewDb();
        Assert.Contains(db.AuditEntries.Where(e => e.Action == Core.Audit.AuditActions.Login && e.Success).Select(e => e.ClientAddress), a => a == "198.51.100.7");
    }

    [Fact]
    public async Task ForwardedHeaders_FromAnUnknownAddress_AreIgnored()
    {
        using var response = await PostLoginThroughAsync(proxy: "192.0.2.66", forwardedFor: "203.0.113.9");

        Assert.DoesNotContain("secure", AuthCookie(response), StringComparison.OrdinalIgnoreCase);
        await using var db = portal.NewDb();
        Assert.DoesNotContain(db.AuditEntries.Select(e => e.ClientAddress), a => a == "203.0.113.9");
    }

    /// <summary>Posts the login form as relayed by a TLS-terminating proxy at <paramref name="proxy"/> for a client at <paramref name="forwardedFor"/>.</summary>
    private async Task<HttpResponseMessage> PostLoginThroughAsync(string proxy, string forwardedFor)
    {
        var client = portal.CreateNonRedirectingClient();
        // The form's antiforgery cookie is fetched over plain HTTP, so that the test's cookie jar sends it back.
        var token = await client.GetAntiforgeryTokenAsync("/login");
        var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["username"] = "admin",
                ["password"] = PortalFactory.AdminPassword,
                ["returnUrl"] = "/",
            }),
        };
        request.Headers.Add(TestClientAddress.Header, proxy);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }

    private static string AuthCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("CertTokenPortal.Auth=", StringComparison.Ordinal));

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void DataDirectory_OnLinux_IsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only
        }
        _ = portal.Services; // started, migrated, key ring written
        _ = portal.CreateClient();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(portal.DataDirectory));
        var files = Directory.GetFiles(portal.DataDirectory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("portal.db", StringComparison.Ordinal));
        // The key ring is in the database now, so the directory holds only the database and its WAL companions.
        Assert.DoesNotContain(files, f => f.Contains($"{Path.DirectorySeparatorChar}keys{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
    }
}

/// <summary>The Data Protection key ring encrypted with a certificate from a PKCS#12 file.</summary>
[Trait("Category", "Api")]
public sealed class KeyRingCertificateTests
{
    [Fact]
    public async Task KeyRing_WithCertificate_IsEncryptedAndReadableAfterARestart()
    {
        using var folder = new TempDirectory("ctp-ring");
        var pfx = Path.Combine(folder.Path, "ring.pfx");
        await File.WriteAllBytesAsync(pfx, SelfSigned().Export(X509ContentType.Pkcs12, "Ring-Passw0rd"));
        var settings = new Dictionary<string, string?>
        {
            ["Portal:DataProtection:CertificatePath"] = pfx,
            ["Portal:DataProtection:CertificatePassword"] = "Ring-Passw0rd",
        };

        await using var first = await CoreServices.StartAsync(settings);
        var secret = first.Services.GetRequiredService<ApplicationSecretStore>().GetOrCreate(ApplicationSecretStore.JwtSigningKey, 32);
        // The ring lives in the database (table DataProtectionKeys), not in files: every stored key is encrypted there.
        await using (var db = first.NewDb())
        {
            var keyXml = await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync();
            Assert.NotEmpty(keyXml);
            Assert.All(keyXml, xml =>
            {
                Assert.Contains("EncryptedData", xml);
                Assert.DoesNotContain("<masterKey", xml);
            });
        }
        Assert.False(Directory.Exists(Path.Combine(first.DataDirectory, "keys")));

        // The same ring and database, opened again with the certificate: the secret decrypts to the same bytes.
        var again = new ServiceCollection();
        again.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(first.Configuration);
        again.AddLogging();
        Core.PortalCoreServiceCollectionExtensions.AddPortalCore(again, first.Configuration, first.DataDirectory);
        await using var reopened = again.BuildServiceProvider();
        Assert.Equal(secret, reopened.GetRequiredService<ApplicationSecretStore>().GetOrCreate(ApplicationSecretStore.JwtSigningKey, 32));
    }

    [Fact]
    public void Load_WrongPassword_StopsTheStartWithAMessage()
    {
        using var folder = new TempDirectory("ctp-ring");
        var pfx = Path.Combine(folder.Path, "ring.pfx");
        File.WriteAllBytes(pfx, SelfSigned().Export(X509ContentType.Pkcs12, "Ring-Passw0rd"));

        var e = Assert.Throws<Core.Startup.PortalStartupException>(() => KeyRingCertificate.Load(new Core.Configuration.DataProtectionSettings
        {
            CertificatePath = pfx,
            CertificatePassword = "wrong",
        }));
        Assert.Contains("Portal:DataProtection:CertificatePassword", e.Message);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=CertTokenPortal key ring", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
    }
}
