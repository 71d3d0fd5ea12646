using System.Net;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary><c>POST /token/release/&lt;serial&gt;</c>: off hold in the token, the CRL (openssl crl) and OCSP (openssl ocsp).</summary>
[Trait("Category", "ExternalTool")]
public sealed class TokenReleaseTests(TokenReleaseTests.Portal portal) : IClassFixture<TokenReleaseTests.Portal>, IDisposable
{
    public sealed class Portal : PortalFactory, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            await this.CreateUserAsync("rita", PortalRoles.User);
            await this.CreateUserAsync("hal", PortalRoles.Helpdesk);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private readonly TempDirectory _dir = new("ctp-release");

    public void Dispose() => _dir.Dispose();

    private async Task<(string Serial, string CertSerial)> EnrolAndRevokeAsync(ApiClient staff, string reason, string cn)
    {
        var answer = await staff.PostFormAsync("/token/init", ("type", "certificate"), ("user", "rita"), ("ca", "localCA"),
            ("request", TestCsrs.Rsa("rita")), ("description", cn));
        Assert.True(answer.Ok, answer.ToString());
        var serial = answer.Detail.GetProperty("serial").GetString()!;
        var revoked = await staff.PostFormAsync("/token/revoke", ("serial", serial), ("reason", reason));
        Assert.True(revoked.Ok, revoked.ToString());
        var token = await staff.GetAsync($"/token/{serial}");
        return (serial, token.Value.GetProperty("info").GetProperty("cert_serial").GetString()!);
    }

    [Fact]
    public async Task Release_HeldToken_ActiveAgainGoneFromCrlAndOcspGood()
    {
        var hal = await ApiClient.LoginAsync(portal, "hal", PortalUsers.Password);
        var (serial, certSerial) = await EnrolAndRevokeAsync(hal, "certificateHold", "held");
        var client = portal.CreateNonRedirectingClient();
        File.WriteAllText(_dir.File("ca.pem"), await client.GetStringAsync("/ca/localCA/cert.pem"));
        var (_, leaf, _, _) = await hal.DownloadAsync($"/token/{serial}/certificate");
        File.WriteAllBytes(_dir.File("leaf.pem"), leaf);
        Assert.Contains("Certificate Hold", await CrlTextAsync(client));
        Assert.Equal("revoked", await OcspStatusAsync(client, certSerial));

        var released = await hal.PostFormAsync($"/token/release/{serial}");

        Assert.True(released.Ok, released.ToString());
        var token = (await hal.GetAsync($"/token/{serial}")).Value;
        Assert.True(token.GetProperty("active").GetBoolean());
        Assert.False(token.GetProperty("revoked").GetBoolean());
        Assert.False(token.GetProperty("locked").GetBoolean());
        Assert.DoesNotContain(certSerial, (await CrlTextAsync(client)).Replace(":", "").ToUpperInvariant());
        Assert.Equal("good", await OcspStatusAsync(client, certSerial));
    }

    [Fact]
    public async Task Release_FinalRevocationOrNotHeldOrUser_ClearRefusalAndNothingChanged()
    {
        var hal = await ApiClient.LoginAsync(portal, "hal", PortalUsers.Password);
        var rita = await ApiClient.LoginAsync(portal, "rita", PortalUsers.Password);
        var (compromised, _) = await EnrolAndRevokeAsync(hal, "keyCompromise", "compromised");
        var (held, _) = await EnrolAndRevokeAsync(hal, "certificateHold", "held-user");

        var final = await hal.PostFormAsync($"/token/release/{compromised}");
        var byUser = await rita.PostFormAsync($"/token/release/{held}");
        var unknown = await hal.PostFormAsync("/token/release/CRT00000000");
        var twice = await Task.WhenAll(hal.PostFormAsync("/token/release", ("serial", held)), hal.PostFormAsync("/token/release", ("serial", held)));

        Assert.Equal(HttpStatusCode.Conflict, final.Status);
        Assert.Contains("final", final.ErrorMessage);
        Assert.Equal(HttpStatusCode.Forbidden, byUser.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(1, twice.Count(a => a.Status == HttpStatusCode.OK));
        Assert.Equal(1, twice.Count(a => a.Status == HttpStatusCode.Conflict));
        await using var db = portal.NewDb();
        var stillRevoked = await db.Tokens.AsNoTracking().SingleAsync(t => t.Serial == compromised);
        Assert.True(stillRevoked.Revoked);
        Assert.Equal("keyCompromise", stillRevoked.RevocationReason);
    }

    private async Task<string> CrlTextAsync(HttpClient client)
    {
        File.WriteAllBytes(_dir.File("crl.der"), await client.GetByteArrayAsync("/ca/localCA/crl"));
        return ExternalTool.OpenSsl("crl", "-in", _dir.File("crl.der"), "-inform", "DER", "-CAfile", _dir.File("ca.pem"), "-text").Output;
    }

    private async Task<string> OcspStatusAsync(HttpClient client, string certSerial)
    {
        ExternalTool.OpenSsl("ocsp", "-issuer", _dir.File("ca.pem"), "-cert", _dir.File("leaf.pem"), "-reqout", _dir.File("req.der"));
        var response = await client.PostAsync("/ca/localCA/ocsp", new ByteArrayContent(File.ReadAllBytes(_dir.File("req.der")))
        {
            Headers = { ContentType = new("application/ocsp-request") },
        });
        File.WriteAllBytes(_dir.File("resp.der"), await response.Content.ReadAsByteArrayAsync());
        var text = ExternalTool.OpenSsl("ocsp", "-reqin", _dir.File("req.der"), "-respin", _dir.File("resp.der"),
            "-CAfile", _dir.File("ca.pem"), "-verify_other", _dir.File("ca.pem"), "-resp_text").Output;
        Assert.Contains("Response verify OK", text);
        var match = System.Text.RegularExpressions.Regex.Match(text, $"Serial Number: {certSerial}\\n\\s*Cert Status: (\\w+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        Assert.True(match.Success, text);
        return match.Groups[1].Value;
    }
}
