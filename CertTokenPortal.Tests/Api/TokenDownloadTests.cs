using System.Net;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Api;

/// <summary>The files the API hands out, judged by openssl.</summary>
[Trait("Category", "Api")]
public sealed class TokenDownloadTests : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private readonly PortalFactory _portal;
    private readonly TempDirectory _files = new();
    private ApiClient _admin = null!;

    public TokenDownloadTests(PortalFactory portal) => _portal = portal;

    public async Task InitializeAsync()
    {
        _admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);
        await using var db = _portal.NewDb();
        if (!db.Users.Any(u => u.UserName == "carol"))
        {
            await _portal.CreateUserAsync("carol", PortalRoles.User);
        }
    }

    public Task DisposeAsync()
    {
        _files.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Pkcs12_StoredForGeneratedKey_OpensInOpenSslWithoutLegacyAndHoldsKeyCertAndChain()
    {
        var enrolled = await _admin.PostFormAsync("/token/init",
            ("type", "certificate"), ("user", "carol"), ("ca", "localCA"), ("genkey", "1"), ("keysize", "2048"), ("pin", "Carol-Pin-2026"));
        var serial = enrolled.Detail.GetProperty("serial").GetString()!;
        var carol = await ApiClient.LoginAsync(_portal, "carol", PortalUsers.Password);

        var (status, content, contentType, response) = await carol.DownloadAsync($"/token/{serial}/pkcs12");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/x-pkcs12", contentType);
        Assert.Equal($"{serial}.p12", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var path = _files.File($"{serial}.p12");
        await File.WriteAllBytesAsync(path, content);
        var certs = ExternalTool.OpenSsl("pkcs12", "-in", path, "-passin", "pass:Carol-Pin-2026", "-nokeys").StdOut;
        Assert.Equal(2, CountOf(certs, "BEGIN CERTIFICATE")); // the certificate and the root above it
        var key = ExternalTool.OpenSsl("pkcs12", "-in", path, "-passin", "pass:Carol-Pin-2026", "-nocerts", "-nodes").StdOut;
        Assert.Contains("BEGIN PRIVATE KEY", key);
        var wrong = ExternalTool.Run("openssl", ["pkcs12", "-in", path, "-passin", "pass:wrong", "-noout"]);
        Assert.NotEqual(0, wrong.ExitCode);
    }

    [Fact]
    public async Task Pkcs12_TokenFromCsr_Is404WithMessage()
    {
        var serial = await EnrolCsrAsync();

        var answer = await _admin.GetAsync($"/token/{serial}/pkcs12");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Contains("not generated on the server", answer.ErrorMessage);
    }

    [Fact]
    public async Task Certificate_EachFormat_IsReadableByOpenSslAndTheChainVerifies()
    {
        var serial = await EnrolCsrAsync();
        var ca = await ApiClient.Anonymous(_portal).DownloadAsync("/ca/localCA/cert.pem");
        var caPath = _files.File("ca.pem");
        await File.WriteAllBytesAsync(caPath, ca.Content);

        var pem = await SaveAsync($"/token/{serial}/certificate", "cert.pem");
        var der = await SaveAsync($"/token/{serial}/certificate?format=der", "cert.der");
        var chain = await SaveAsync($"/token/{serial}/certificate?format=chain", "chain.pem");
        var p7b = await SaveAsync($"/token/{serial}/certificate?format=p7b", "cert.p7b");

        Assert.Contains("CN=carol", ExternalTool.OpenSsl("x509", "-in", pem, "-noout", "-subject").StdOut.Replace(" ", ""));
        Assert.Contains("CN=carol", ExternalTool.OpenSsl("x509", "-inform", "DER", "-in", der, "-noout", "-subject").StdOut.Replace(" ", ""));
        Assert.Equal(2, CountOf(await File.ReadAllTextAsync(chain), "BEGIN CERTIFICATE"));
        Assert.Equal(2, CountOf(ExternalTool.OpenSsl("pkcs7", "-inform", "DER", "-in", p7b, "-print_certs").StdOut, "BEGIN CERTIFICATE"));
        Assert.Contains(": OK", ExternalTool.OpenSsl("verify", "-CAfile", caPath, pem).StdOut);
    }

    [Fact]
    public async Task Certificate_UnknownFormat_Is400()
    {
        var serial = await EnrolCsrAsync();

        var answer = await _admin.GetAsync($"/token/{serial}/certificate?format=docx");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
    }

    private async Task<string> EnrolCsrAsync()
    {
        var answer = await _admin.PostFormAsync("/token/init",
            ("type", "certificate"), ("user", "carol"), ("ca", "localCA"), ("request", TestCsrs.Rsa("carol")));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        return answer.Detail.GetProperty("serial").GetString()!;
    }

    private async Task<string> SaveAsync(string path, string name)
    {
        var (status, content, _, _) = await _admin.DownloadAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        var file = _files.File(name);
        await File.WriteAllBytesAsync(file, content);
        return file;
    }

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "").Length) / what.Length;
}
