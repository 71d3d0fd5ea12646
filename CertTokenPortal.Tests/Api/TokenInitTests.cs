using System.Net;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

[Trait("Category", "Api")]
public sealed class TokenInitTests : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private readonly PortalFactory _portal;
    private ApiClient _admin = null!;

    public TokenInitTests(PortalFactory portal) => _portal = portal;

    public async Task InitializeAsync()
    {
        _admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);
        if (!await UserExistsAsync("alice"))
        {
            await _portal.CreateUserAsync("alice", PortalRoles.User, email: "alice@example.test");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Init_CsrForUser_EnrolsTokenWithCertificateFromTheCa()
    {
        var answer = await _admin.PostFormAsync("/token/init",
            ("type", "certificate"), ("user", "alice"), ("ca", "localCA"), ("request", TestCsrs.Rsa("alice")), ("description", "laptop"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.True(answer.Value.GetBoolean());
        var serial = answer.Detail.GetProperty("serial").GetString()!;
        Assert.Matches("^CRT[0-9A-F]{8}$", serial);
        Assert.Equal("enrolled", answer.Detail.GetProperty("rollout_state").GetString());
        using var certificate = X509Certificate2.CreateFromPem(answer.Detail.GetProperty("certificate").GetString()!);
        Assert.Equal("CN=alice", certificate.Subject);

        await using var db = _portal.NewDb();
        var token = await db.Tokens.SingleAsync(t => t.Serial == serial);
        Assert.Equal("alice", token.OwnerUserName);
        Assert.Equal("user", token.TemplateName); // the CA's default template
        Assert.Equal("laptop", token.Description);
        Assert.True(await db.IssuedCertificates.AnyAsync(i => i.TokenSerial == serial && i.SerialNumber == certificate.SerialNumber));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenEnrol && e.Serial == serial && e.Success));
    }

    [Fact]
    public async Task Init_AsUser_IgnoresUserParameterAndEnrolsForCaller()
    {
        var alice = await ApiClient.LoginAsync(_portal, "alice", PortalUsers.Password);

        var answer = await alice.PostJsonAsync("/token/init", new { type = "certificate", user = "admin", ca = "localCA", request = TestCsrs.Ec("alice") });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        await using var db = _portal.NewDb();
        var serial = answer.Detail.GetProperty("serial").GetString();
        Assert.Equal("alice", (await db.Tokens.SingleAsync(t => t.Serial == serial)).OwnerUserName);
    }

    [Fact]
    public async Task Init_MultipartWithCsrAsFile_IsRead()
    {
        var answer = await _admin.PostMultipartAsync("/token/init",
            ("type", "certificate", false), ("user", "alice", false), ("ca", "localCA", false), ("request", TestCsrs.Rsa("alice"), true));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task Init_GenKeyWithoutPin_ReturnsPkcs12AndOneTimePasswordThatOpensIt()
    {
        var answer = await _admin.PostFormAsync("/token/init",
            ("type", "certificate"), ("user", "alice"), ("ca", "localCA"), ("genkey", "1"), ("keytype", "ec"), ("curve", "P-256"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var password = answer.Detail.GetProperty("pkcs12_password").GetString()!;
        Assert.True(password.Length >= 16);
        var pkcs12 = Convert.FromBase64String(answer.Detail.GetProperty("pkcs12").GetString()!);
        using var loaded = X509CertificateLoader.LoadPkcs12(pkcs12, password);
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal("CN=alice", loaded.Subject);

        // The password is not kept anywhere: no later answer shows it.
        var serial = answer.Detail.GetProperty("serial").GetString();
        var listed = await _admin.GetAsync($"/token/?serial={serial}");
        Assert.DoesNotContain(password, listed.Body);
    }

    [Fact]
    public async Task Init_GenKeyWithPin_Pkcs12OpensWithThePinAndNoPasswordIsReturned()
    {
        var answer = await _admin.PostFormAsync("/token/init",
            ("type", "certificate"), ("user", "alice"), ("ca", "localCA"), ("genkey", "1"), ("pin", "Correct-Horse-7"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.False(answer.Detail.TryGetProperty("pkcs12_password", out _)); // privacyIDEA leaves out what does not apply
        using var loaded = X509CertificateLoader.LoadPkcs12(Convert.FromBase64String(answer.Detail.GetProperty("pkcs12").GetString()!), "Correct-Horse-7");
        Assert.True(loaded.HasPrivateKey);
    }

    [Fact]
    public async Task Init_UploadedCertificate_IsTrackedWithoutCa()
    {
        // Issued by the portal's own CA beforehand: an upload must chain to a CA of the portal.
        var issued = await TestPki.IssueAsync(_portal.Services, "localCA", TestCsrs.Ec("alice"));
        using var certificate = issued.Certificate;

        var answer = await _admin.PostFormAsync("/token/init",
            ("type", "certificate"), ("user", "alice"), ("certificate", certificate.ExportCertificatePem()));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        await using var db = _portal.NewDb();
        var token = await db.Tokens.SingleAsync(t => t.Serial == answer.Detail.GetProperty("serial").GetString());
        Assert.Null(token.CaName);
        Assert.Equal(certificate.SerialNumber, token.CertificateSerial);
    }

    public static TheoryData<string, (string, string)[]> BadInputs => new()
    {
        { "garbage CSR", [("type", "certificate"), ("user", "alice"), ("ca", "localCA"), ("request", "this is not a CSR")] },
        { "weak key", [("type", "certificate"), ("user", "alice"), ("ca", "localCA"), ("request", TestCsrs.WeakRsa1024("weak"))] },
        { "tampered signature", [("type", "certificate"), ("user", "alice"), ("ca", "localCA"), ("request", TestCsrs.Tampered("tampered"))] },
        { "unknown CA", [("type", "certificate"), ("user", "alice"), ("ca", "noSuchCA"), ("request", TestCsrs.Rsa("x"))] },
        { "unknown template", [("type", "certificate"), ("user", "alice"), ("ca", "localCA"), ("template", "noSuchTemplate"), ("request", TestCsrs.Rsa("x"))] },
        { "unknown user", [("type", "certificate"), ("user", "nobody-at-all"), ("ca", "localCA"), ("request", TestCsrs.Rsa("x"))] },
        { "two modes", [("type", "certificate"), ("user", "alice"), ("ca", "localCA"), ("genkey", "1"), ("request", TestCsrs.Rsa("x"))] },
        { "no mode", [("type", "certificate"), ("user", "alice"), ("ca", "localCA")] },
        { "wrong type", [("type", "hotp"), ("user", "alice"), ("ca", "localCA"), ("request", TestCsrs.Rsa("x"))] },
        { "missing type", [("user", "alice"), ("ca", "localCA"), ("request", TestCsrs.Rsa("x"))] },
        { "missing CA", [("type", "certificate"), ("user", "alice"), ("request", TestCsrs.Rsa("x"))] },
        { "small generated key", [("type", "certificate"), ("user", "alice"), ("ca", "localCA"), ("genkey", "1"), ("keysize", "1024")] },
        { "unknown curve", [("type", "certificate"), ("user", "alice"), ("ca", "localCA"), ("genkey", "1"), ("keytype", "ec"), ("curve", "P-224")] },
        { "unknown subject component", [("type", "certificate"), ("user", "alice"), ("ca", "localCA"), ("genkey", "1"), ("subject_components", "shoesize")] },
        { "broken certificate", [("type", "certificate"), ("user", "alice"), ("certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Init_BadInput_Is400WithMessageAndSavesNoToken(string what, (string, string)[] fields)
    {
        var before = await CountsAsync();

        var answer = await _admin.PostFormAsync("/token/init", fields);

        Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{what}: {answer}");
        Assert.False(answer.Ok);
        Assert.False(string.IsNullOrWhiteSpace(answer.ErrorMessage), what);
        Assert.DoesNotContain("Exception", answer.ErrorMessage);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Init_OversizedBody_Is413InEnvelopeAndSavesNothing()
    {
        var before = await CountsAsync();

        var answer = await _admin.PostFormAsync("/token/init", ("type", "certificate"), ("request", new string('A', 1_200_000)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        Assert.Equal(905, answer.ErrorCode);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Init_BrokenJson_Is400()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/token/init")
        {
            Content = new StringContent("{\"type\": \"certificate\",", System.Text.Encoding.UTF8, "application/json"),
        };

        var answer = await _admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("JSON", answer.ErrorMessage);
    }

    private async Task<(int Tokens, int Issued)> CountsAsync()
    {
        await using var db = _portal.NewDb();
        return (await db.Tokens.CountAsync(), await db.IssuedCertificates.CountAsync());
    }

    private async Task<bool> UserExistsAsync(string name)
    {
        await using var db = _portal.NewDb();
        return await db.Users.AnyAsync(u => u.UserName == name);
    }
}
