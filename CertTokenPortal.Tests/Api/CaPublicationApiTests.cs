using System.Net;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Api;

/// <summary>The public CA URLs, fetched without logging in, as a relying party would.</summary>
[Trait("Category", "Api")]
public sealed class CaPublicationApiTests(PortalFactory portal) : IClassFixture<PortalFactory>, IDisposable
{
    private readonly TempDirectory _dir = new("ctp-api");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task GetCert_Anonymous_DerCaCertificate()
    {
        var response = await portal.CreateNonRedirectingClient().GetAsync("/ca/localCA/cert");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pkix-cert", response.Content.Headers.ContentType?.MediaType);
        var certificate = X509CertificateLoader.LoadCertificate(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("CN=CertTokenPortal Root CA", certificate.Subject);
    }

    [Fact]
    public async Task GetCertPem_Anonymous_PemOfSameCertificate()
    {
        var client = portal.CreateNonRedirectingClient();

        var pem = await client.GetStringAsync("/ca/localCA/cert.pem");

        var der = await client.GetByteArrayAsync("/ca/localCA/cert");
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", pem);
        Assert.Equal(der, X509Certificate2.CreateFromPem(pem).RawData);
    }

    [Fact]
    public async Task GetCrl_Anonymous_DerCrlThatOpenSslVerifies()
    {
        var client = portal.CreateNonRedirectingClient();

        var response = await client.GetAsync("/ca/localCA/crl");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pkix-crl", response.Content.Headers.ContentType?.MediaType);
        File.WriteAllBytes(_dir.File("crl.der"), await response.Content.ReadAsByteArrayAsync());
        File.WriteAllText(_dir.File("ca.pem"), await client.GetStringAsync("/ca/localCA/cert.pem"));
        Assert.Contains("verify OK", ExternalTool.OpenSsl("crl", "-in", _dir.File("crl.der"), "-inform", "DER", "-CAfile", _dir.File("ca.pem"), "-verify", "-noout").Output);
        File.WriteAllText(_dir.File("crl.pem"), await client.GetStringAsync("/ca/localCA/crl.pem"));
        Assert.Contains("verify OK", ExternalTool.OpenSsl("crl", "-in", _dir.File("crl.pem"), "-CAfile", _dir.File("ca.pem"), "-verify", "-noout").Output);
    }

    [Theory]
    [InlineData("/ca/nope/cert")]
    [InlineData("/ca/nope/cert.pem")]
    [InlineData("/ca/nope/crl")]
    [InlineData("/ca/nope/crl.pem")]
    [InlineData("/ca/nope/ocsp/MAA=")]
    public async Task Get_UnknownCa_NotFound(string url)
    {
        var response = await portal.CreateNonRedirectingClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PostOcsp_UnknownCa_NotFound()
    {
        var response = await portal.CreateNonRedirectingClient().PostAsync("/ca/nope/ocsp", new ByteArrayContent([0x30, 0x00]));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Ocsp_PostAndGet_AnswersThatOpenSslVerifies()
    {
        var good = await TestPki.IssueAsync(portal.Services, "localCA", TestPki.OpenSslCsr(_dir, ["rsa:2048"], name: "good"));
        var revoked = await TestPki.IssueAsync(portal.Services, "localCA", TestPki.OpenSslCsr(_dir, ["rsa:2048"], name: "bad"));
        var connector = (await portal.Services.GetRequiredService<ICaConnectorRegistry>().GetAsync("localCA")).Value;
        await using (var db = portal.NewDb())
        {
            Assert.True((await connector.RevokeAsync(new CaRevokeRequest(revoked.SerialHex, RevocationReason.CessationOfOperation, DateTime.UtcNow), default)).IsSuccess);
        }
        var ca = TestPki.WritePem(_dir, "ca.pem", TestPki.Root(good));
        var client = portal.CreateNonRedirectingClient();

        foreach (var (leaf, status) in new[] { (good, "good"), (revoked, "revoked") })
        {
            var leafPem = TestPki.WritePem(_dir, $"{status}.pem", leaf.Certificate);
            ExternalTool.OpenSsl("ocsp", "-issuer", ca, "-cert", leafPem, "-reqout", _dir.File("req.der"));
            var request = File.ReadAllBytes(_dir.File("req.der"));

            var posted = await client.PostAsync("/ca/localCA/ocsp", new ByteArrayContent(request)
            {
                Headers = { ContentType = new("application/ocsp-request") },
            });
            var fetched = await client.GetAsync($"/ca/localCA/ocsp/{Uri.EscapeDataString(Convert.ToBase64String(request))}");

            foreach (var response in new[] { posted, fetched })
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("application/ocsp-response", response.Content.Headers.ContentType?.MediaType);
                File.WriteAllBytes(_dir.File("resp.der"), await response.Content.ReadAsByteArrayAsync());
                var text = ExternalTool.OpenSsl("ocsp", "-reqin", _dir.File("req.der"), "-respin", _dir.File("resp.der"),
                    "-CAfile", ca, "-verify_other", ca, "-resp_text").Output;
                Assert.Contains("Response verify OK", text);
                Assert.Matches($"Serial Number: {leaf.SerialHex}\\n\\s*Cert Status: {status}", text);
            }
        }
    }
}
