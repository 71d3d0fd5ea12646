using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>
/// The public CA certificate and CRL are served from memory with validators: a relying party's cache revalidates with
/// ETag / Last-Modified and gets 304, and a revocation makes the next fetch the new CRL at once.
/// </summary>
[Trait("Category", "Api")]
public sealed class CaPublicationCachingTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("/ca/localCA/cert")]
    [InlineData("/ca/localCA/cert.pem")]
    [InlineData("/ca/localCA/crl")]
    [InlineData("/ca/localCA/crl.pem")]
    public async Task Get_IfNoneMatchCurrentETag_NotModifiedWithoutBody(string url)
    {
        var client = portal.CreateNonRedirectingClient();
        var first = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var tag = first.Headers.ETag;
        Assert.NotNull(tag);
        Assert.False(tag.IsWeak);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(tag);
        var second = await client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/ca/localCA/cert")]
    [InlineData("/ca/localCA/crl")]
    public async Task Get_IfModifiedSinceLastModified_NotModified(string url)
    {
        var client = portal.CreateNonRedirectingClient();
        var first = await client.GetAsync(url);
        var lastModified = first.Content.Headers.LastModified;
        Assert.NotNull(lastModified);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfModifiedSince = lastModified;
        var second = await client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task GetCert_DerAndPem_DifferentETags()
    {
        var client = portal.CreateNonRedirectingClient();

        var der = await client.GetAsync("/ca/localCA/cert");
        var pem = await client.GetAsync("/ca/localCA/cert.pem");

        Assert.NotEqual(der.Headers.ETag, pem.Headers.ETag);
        Assert.Equal((await der.Content.ReadAsByteArrayAsync()), X509Certificate2.CreateFromPem(await pem.Content.ReadAsStringAsync()).RawData);
    }

    [Fact]
    public async Task GetCrl_RightAfterRevoke_NewCrlListingTheCertificate()
    {
        var admin = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);
        await using (var db = portal.NewDb())
        {
            if (!await db.Users.AnyAsync(u => u.UserName == "carol"))
            {
                await portal.CreateUserAsync("carol", PortalRoles.User);
            }
        }
        var enrolled = await admin.PostFormAsync("/token/init",
            ("type", "certificate"), ("user", "carol"), ("ca", "localCA"), ("template", "server"), ("request", TestCsrs.Rsa("cached-crl")));
        Assert.Equal(HttpStatusCode.OK, enrolled.Status);
        using var certificate = X509Certificate2.CreateFromPem(enrolled.Detail.GetProperty("certificate").GetString()!);
        var client = portal.CreateNonRedirectingClient();
        var before = await client.GetAsync("/ca/localCA/crl"); // now in memory
        var beforeDer = await before.Content.ReadAsByteArrayAsync();
        Assert.DoesNotContain(certificate.SerialNumber, await CrlSerials(beforeDer));

        var revoked = await admin.PostFormAsync("/token/revoke", ("serial", enrolled.Detail.GetProperty("serial").GetString()!), ("reason", "keyCompromise"));
        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/ca/localCA/crl");
        conditional.Headers.IfNoneMatch.Add(before.Headers.ETag!);
        var after = await client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.Contains(certificate.SerialNumber, await CrlSerials(await after.Content.ReadAsByteArrayAsync()));
    }

    private static async Task<string> CrlSerials(byte[] der)
    {
        using var dir = new TempDirectory();
        var path = dir.File("crl.der");
        await File.WriteAllBytesAsync(path, der);
        return ExternalTool.OpenSsl("crl", "-inform", "DER", "-in", path, "-noout", "-text").StdOut.Replace(":", "").ToUpperInvariant();
    }
}
