using System.Net;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>
/// Names bound to the owner through <c>/token/init</c>: an end user gets only their own names, staff only names within
/// the template's rules; openssl judges what is issued.
/// </summary>
[Trait("Category", "ExternalTool")]
public sealed class NameBindingApiTests(NameBindingApiTests.Portal portal) : IClassFixture<NameBindingApiTests.Portal>, IDisposable
{
    private readonly TempDirectory _dir = new("ctp-names");

    /// <summary>The portal with alice (user), helen (helpdesk), and the server template limited to *.corp.example.</summary>
    public sealed class Portal : PortalFactory, IAsyncLifetime
    {
        public ApiClient Admin { get; private set; } = null!;
        public ApiClient Alice { get; private set; } = null!;
        public ApiClient Helen { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await this.CreateUserAsync("alice", PortalRoles.User, email: "alice@corp.example");
            await this.CreateUserAsync("helen", PortalRoles.Helpdesk);
            Admin = await ApiClient.LoginAsync(this, "admin", AdminPassword);
            Alice = await ApiClient.LoginAsync(this, "alice", PortalUsers.Password);
            Helen = await ApiClient.LoginAsync(this, "helen", PortalUsers.Password);
            var server = await Admin.PostFormAsync("/caconnector/localCA/template/server", ("days", "90"), ("key_usage", "digitalSignature,keyEncipherment"),
                ("extended_key_usage", "serverAuth"), ("subject_source", "csr"), ("allowed_rdns", "CN,O"), ("san_types", "DNS"),
                ("dns_patterns", "*.corp.example"), ("max_sans", "5"), ("staff_only", "true"));
            Assert.True(server.Ok, server.ToString());
            Assert.Equal("csr", server.Value.GetProperty("subject_source").GetString());
            Assert.Equal("*.corp.example", server.Value.GetProperty("dns_patterns")[0].GetString());
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Init_UserCsrForAdmin_400NamingNameAndRuleNothingSaved()
    {
        var before = await CountsAsync();

        var answer = await portal.Alice.PostFormAsync("/token/init", ("type", "certificate"), ("ca", "localCA"), ("request", TestCsrs.Rsa("admin")));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("The name CN=admin is refused by template 'user': the template takes the names from the owner's account: CN must be 'alice'.", answer.ErrorMessage);
        Assert.Equal(before.Tokens, (await CountsAsync()).Tokens);
        Assert.Equal(before.Issued, (await CountsAsync()).Issued);
    }

    [Fact]
    public async Task Init_UserCsrWithForeignDnsSan_400NothingSaved()
    {
        var before = await CountsAsync();

        var answer = await portal.Alice.PostFormAsync("/token/init", ("type", "certificate"), ("ca", "localCA"),
            ("request", TestCsrs.Rsa("alice", "www.google.com", "*.example.com")));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("SAN DNS:www.google.com is refused by template 'user'", answer.ErrorMessage);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Init_UserAsksForServerTemplate_403()
    {
        var answer = await portal.Alice.PostFormAsync("/token/init", ("type", "certificate"), ("ca", "localCA"), ("template", "server"),
            ("request", TestCsrs.Rsa("web.corp.example", "web.corp.example")));

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Contains("The template 'server' is for staff", answer.ErrorMessage);
    }

    [Fact]
    public async Task Init_UserGenKeyEc_OwnersNamesEmailSanAndNoKeyEnciphermentPerOpenSsl()
    {
        var answer = await portal.Alice.PostFormAsync("/token/init", ("type", "certificate"), ("ca", "localCA"),
            ("genkey", "1"), ("keytype", "ec"), ("curve", "P-256"), ("pin", "Correct-Horse-7"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var text = OpenSslText(answer.Detail.GetProperty("certificate").GetString()!);
        Assert.Contains("Subject: CN=alice\n", text);
        Assert.Contains("X509v3 Key Usage: critical\n                Digital Signature\n", text);
        Assert.Contains("TLS Web Client Authentication, E-mail Protection", text);
        Assert.Contains("X509v3 Subject Alternative Name: \n                email:alice@corp.example\n", text);
    }

    [Fact]
    public async Task Init_HelpdeskServerNamesWithinRules_IssuedAndVerifiedAsTlsServerByOpenSsl()
    {
        var answer = await portal.Helen.PostFormAsync("/token/init", ("type", "certificate"), ("user", "alice"), ("ca", "localCA"),
            ("template", "server"), ("request", TestCsrs.Rsa("web.corp.example", "web.corp.example", "api.corp.example")));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var leaf = _dir.File("server.pem");
        File.WriteAllText(leaf, answer.Detail.GetProperty("certificate").GetString());
        var text = ExternalTool.OpenSsl("x509", "-in", leaf, "-noout", "-text").StdOut;
        Assert.Contains("X509v3 Subject Alternative Name: \n                DNS:web.corp.example, DNS:api.corp.example\n", text);
        Assert.Contains("X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment\n", text);
        Assert.Contains("TLS Web Server Authentication", text);
        var ca = _dir.File("ca.pem");
        File.WriteAllText(ca, await portal.CreateClient().GetStringAsync("/ca/localCA/cert.pem"));
        Assert.Contains(": OK", ExternalTool.OpenSsl("verify", "-purpose", "sslserver", "-CAfile", ca, leaf).StdOut);
    }

    [Theory]
    [InlineData("web.corp.example", "www.google.com", "SAN DNS:www.google.com is refused by template 'server': DNS names must match *.corp.example")]
    [InlineData("www.google.com", "web.corp.example", "CN=www.google.com is refused by template 'server': host names must match *.corp.example")]
    public async Task Init_HelpdeskServerNameOutsideRules_400NothingSaved(string commonName, string dns, string message)
    {
        var before = await CountsAsync();

        var answer = await portal.Helen.PostFormAsync("/token/init", ("type", "certificate"), ("user", "alice"), ("ca", "localCA"),
            ("template", "server"), ("request", TestCsrs.Rsa(commonName, dns)));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(message, answer.ErrorMessage);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Init_HelpdeskUserTemplateForeignCn_400()
    {
        var answer = await portal.Helen.PostFormAsync("/token/init", ("type", "certificate"), ("user", "alice"), ("ca", "localCA"),
            ("request", TestCsrs.Rsa("helen")));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("CN must be 'alice'", answer.ErrorMessage);
    }

    [Fact]
    public async Task SetTemplate_BadDnsPattern_400()
    {
        var answer = await portal.Admin.PostFormAsync("/caconnector/localCA/template/broken", ("days", "30"), ("subject_source", "csr"),
            ("dns_patterns", "bad..pattern"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("'bad..pattern' is not a DNS pattern", answer.ErrorMessage);
        await using var db = portal.NewDb();
        Assert.False(await db.CertificateTemplates.AnyAsync(t => t.Name == "broken"));
    }

    private string OpenSslText(string pem)
    {
        var path = _dir.File($"{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, pem);
        return ExternalTool.OpenSsl("x509", "-in", path, "-noout", "-text", "-nameopt", "RFC2253").StdOut;
    }

    private async Task<(int Tokens, int Issued)> CountsAsync()
    {
        await using var db = portal.NewDb();
        return (await db.Tokens.CountAsync(), await db.IssuedCertificates.CountAsync());
    }
}
