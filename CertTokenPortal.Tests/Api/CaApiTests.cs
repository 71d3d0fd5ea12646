using System.Net;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

[Trait("Category", "Api")]
public sealed class CaApiTests : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private readonly PortalFactory _portal;
    private ApiClient _admin = null!;

    public CaApiTests(PortalFactory portal) => _portal = portal;

    public async Task InitializeAsync() => _admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task List_FirstStart_HasDefaultCaWithUserAndServerTemplates()
    {
        var answer = await _admin.GetAsync("/caconnector/");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var ca = answer.Value.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "localCA");
        Assert.Equal("local", ca.GetProperty("type").GetString());
        Assert.Equal("user", ca.GetProperty("default_template").GetString());
        var templates = ca.GetProperty("templates").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Contains("user", templates);
        Assert.Contains("server", templates);
        Assert.DoesNotContain("PRIVATE", answer.Body);
    }

    [Fact]
    public async Task Create_NewEcRoot_IsListedIssuesAndCanBeDeletedOnlyWhileUnused()
    {
        var created = await _admin.PostFormAsync("/caconnector/apiRoot",
            ("type", "local"), ("subject", "CN=API Root,O=Example"), ("keytype", "ec"), ("curve", "P-384"), ("validity_days", "1000"));
        Assert.True(created.Status == HttpStatusCode.OK, created.ToString());
        Assert.Equal("CN=API Root, O=Example", created.Value.GetProperty("subject").GetString());

        var template = await _admin.PostFormAsync("/caconnector/apiRoot/template/vpn",
            ("days", "90"), ("key_usage", "digitalSignature"), ("extended_key_usage", "clientAuth"), ("default", "1"));
        Assert.True(template.Status == HttpStatusCode.OK, template.ToString());

        var got = await _admin.GetAsync("/caconnector/apiRoot");
        var entry = Assert.Single(got.Value.EnumerateArray());
        Assert.Equal("apiRoot", entry.GetProperty("connectorname").GetString());
        Assert.Equal("local", entry.GetProperty("type").GetString());
        Assert.Equal("vpn", entry.GetProperty("data").GetProperty("default_template").GetString());
        Assert.Equal(90, entry.GetProperty("templates").GetProperty("vpn").GetProperty("days").GetInt32());
        Assert.DoesNotContain("PRIVATE KEY", got.Body);

        var deleted = await _admin.DeleteAsync("/caconnector/apiRoot");
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal(0, (await _admin.GetAsync("/caconnector/apiRoot")).Value.GetArrayLength());
    }

    [Fact]
    public async Task Create_WithParent_SubordinateSignedByTheParentWhichCanNoLongerBeDeleted()
    {
        var created = await _admin.PostFormAsync("/caconnector/apiIssuing",
            ("type", "local"), ("subject", "CN=API Issuing CA"), ("parent", "localCA"), ("keytype", "ec"), ("validity_days", "365"));
        Assert.True(created.Status == HttpStatusCode.OK, created.ToString());

        var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(
            await (await _portal.CreateClient().GetAsync("/ca/apiIssuing/cert")).Content.ReadAsByteArrayAsync());
        var root = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(
            await (await _portal.CreateClient().GetAsync("/ca/localCA/cert")).Content.ReadAsByteArrayAsync());
        Assert.Equal(root.SubjectName.RawData, certificate.IssuerName.RawData);
        // The parent has now issued a certificate (the new CA's), so it must stay to be able to revoke it.
        Assert.Equal(HttpStatusCode.Conflict, (await _admin.DeleteAsync("/caconnector/localCA")).Status);
    }

    [Fact]
    public async Task Delete_CaThatIssued_Is409()
    {
        await _admin.PostFormAsync("/token/init", ("type", "certificate"), ("ca", "localCA"), ("request", TestCsrs.Ec("admin")));

        var answer = await _admin.DeleteAsync("/caconnector/localCA");

        Assert.Equal(HttpStatusCode.Conflict, answer.Status);
    }

    [Theory]
    [InlineData("type=approval&subject=CN=x")]
    [InlineData("type=local")]
    [InlineData("type=local&subject=CN=x&keysize=1024")]
    [InlineData("type=local&subject=CN=x&crl_validity_days=soon")]
    [InlineData("type=local&cacert=garbage&cakey=garbage")]
    [InlineData("type=local&subject=CN=x&parent=nowhere")]
    [InlineData("type=local&subject=CN=x&parent=localCA&validity_days=40000")]
    public async Task Create_BadParameters_Is400AndCreatesNothing(string form)
    {
        var before = await CountAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/caconnector/badOne")
        {
            Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        var answer = await _admin.SendAsync(request);

        Assert.True(answer.Status == HttpStatusCode.BadRequest, answer.ToString());
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task CrlPublish_IncreasesTheNumber()
    {
        var first = await _admin.GetAsync("/caconnector/localCA/crl");
        var published = await _admin.PostFormAsync("/caconnector/localCA/crl");

        Assert.Equal(HttpStatusCode.OK, published.Status);
        Assert.True(published.Value.GetProperty("crl_number").GetInt64() > first.Value.GetProperty("crl_number").GetInt64());
    }

    [Fact]
    public async Task Get_UnknownCa_IsAnEmptyListAsInPrivacyIdea()
    {
        var answer = await _admin.GetAsync("/caconnector/nope");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(0, answer.Value.GetArrayLength());
    }

    private async Task<int> CountAsync()
    {
        await using var db = _portal.NewDb();
        return await db.CaConnectors.CountAsync();
    }
}
