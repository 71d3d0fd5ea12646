using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Tokens.Renewal;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Tokens.Renewal;

/// <summary>Renew (same key) and rekey (new CSR, new server key) through Core, each judged by openssl.</summary>
[Trait("Category", "ExternalTool")]
public sealed class RenewTokenCommandTests(RenewalFixture fixture) : IClassFixture<RenewalFixture>, IDisposable
{
    private readonly CoreServices _core = fixture.Core;
    private readonly PolicyScenario _s = new(fixture.Core);
    private readonly TempDirectory _dir = new("ctp-renew");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ExecuteAsync_SameKeyOfCsrToken_NewCertificateSameKeySameSerialChainVerifies()
    {
        var alice = await _s.UserAsync();
        var token = (await _s.EnrolCsrAsync(alice)).Value.Token;
        var oldKey = RenewalSteps.PublicKeyOf(_dir, token.CertificatePem!, "old");

        var result = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial));

        Assert.True(result.IsSuccess, result.Error?.Message);
        var renewed = result.Value.Token;
        Assert.Equal((token.Serial, "enrolled", RenewalMode.SameKey), (renewed.Serial, result.Value.State, result.Value.Mode));
        Assert.NotEqual(token.CertificateSerial, renewed.CertificateSerial);
        Assert.Equal(oldKey, RenewalSteps.PublicKeyOf(_dir, renewed.CertificatePem!, "new"));
        RenewalSteps.VerifyWithOpenSsl(_dir, renewed.CertificatePem!, result.Value.ChainPem);
        using var certificate = X509Certificate2.CreateFromPem(renewed.CertificatePem!);
        Assert.Equal($"CN={alice.UserName}", certificate.Subject);
        // A new validity of the template's length from now (enrolment and renewal may fall into the same second).
        Assert.True(renewed.NotBefore >= token.NotBefore && renewed.NotAfter >= token.NotAfter, "a new validity");
        Assert.Equal(token.NotAfter - token.NotBefore, renewed.NotAfter - renewed.NotBefore);
        var history = await _core.HistoryAsync(token.Serial);
        Assert.Equal([(TokenCertificateStates.Superseded, token.CertificateSerial), (TokenCertificateStates.Current, renewed.CertificateSerial)],
            history.Select(h => (h.State, h.CertificateSerial)));
        Assert.Null(history[0].RevokeAfter); // the seeded templates leave replaced certificates to expire
        Assert.Equal(2, await _core.LedgerLinesAsync(token.Serial));
    }

    [Fact]
    public async Task ExecuteAsync_NewCsrForServerToken_NewKeyNamesFromTheRequestChainVerifies()
    {
        var bob = await _s.UserAsync();
        var token = (await _s.EnrolAsync(TestPki.Helpdesk, new EnrolmentRequest
        {
            UserName = bob.UserName, Realm = bob.Realm, CaName = "localCA", TemplateName = "server", Csr = TestCsrs.Rsa("web1", "web1.example.test"),
        })).Value.Token;
        var csr = TestPki.OpenSslCsr(_dir, ["ec", "-pkeyopt", "ec_paramgen_curve:P-384"], "/CN=web1");

        var result = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial) { Csr = csr });

        Assert.True(result.IsSuccess, result.Error?.Message);
        var renewed = result.Value.Token;
        Assert.Equal((RenewalMode.NewCsr, "EC P-384", EnrolmentModes.Request), (result.Value.Mode, renewed.KeyDescription, renewed.EnrolmentMode));
        File.WriteAllText(_dir.File("new.pem"), renewed.CertificatePem);
        var keyOfCertificate = ExternalTool.OpenSsl("x509", "-in", _dir.File("new.pem"), "-noout", "-pubkey").StdOut;
        Assert.Equal(ExternalTool.OpenSsl("pkey", "-in", _dir.File("req.key"), "-pubout").StdOut, keyOfCertificate);
        RenewalSteps.VerifyWithOpenSsl(_dir, renewed.CertificatePem!, result.Value.ChainPem);
        Assert.Equal(TokenCertificateOrigins.Rekey, (await _core.HistoryAsync(token.Serial)).Last().Origin);
    }

    [Theory]
    [InlineData("S3cret-PIN-1")]
    [InlineData(null)]
    public async Task ExecuteAsync_NewKeyForGenkeyToken_Pkcs12OpensWithPinOrOneTimePasswordAndHoldsTheNewCertificate(string? pin)
    {
        var alice = await _s.UserAsync();
        var enrolled = (await _s.EnrolAsync(alice, new EnrolmentRequest { GenerateKey = true, KeyType = "ec", Curve = "P-256", CaName = "localCA", Pin = "Old-PIN-123" })).Value;
        var oldKey = RenewalSteps.PublicKeyOf(_dir, enrolled.Token.CertificatePem!, "old");

        var result = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(enrolled.Token.Serial) { GenerateKey = true, KeyType = "rsa", KeySize = "2048", Pin = pin });

        Assert.True(result.IsSuccess, result.Error?.Message);
        var renewed = result.Value;
        Assert.Equal(pin is null, renewed.Pkcs12Password is not null);
        File.WriteAllBytes(_dir.File("new.p12"), renewed.Pkcs12!);
        var password = pin ?? renewed.Pkcs12Password!;
        var inside = ExternalTool.OpenSsl("pkcs12", "-in", _dir.File("new.p12"), "-passin", $"pass:{password}", "-nokeys", "-clcerts").StdOut;
        using var fromFile = X509Certificate2.CreateFromPem(inside);
        Assert.Equal(renewed.Token.CertificateSerial, fromFile.SerialNumber);
        ExternalTool.OpenSsl("pkcs12", "-in", _dir.File("new.p12"), "-passin", $"pass:{password}", "-nocerts", "-nodes", "-out", _dir.File("new.key"));
        Assert.Equal(ExternalTool.OpenSsl("pkey", "-in", _dir.File("new.key"), "-pubout").StdOut, RenewalSteps.PublicKeyOf(_dir, renewed.Token.CertificatePem!, "new"));
        Assert.NotEqual(oldKey, RenewalSteps.PublicKeyOf(_dir, renewed.Token.CertificatePem!, "new"));
        Assert.Equal("RSA 2048", renewed.Token.KeyDescription);
        RenewalSteps.VerifyWithOpenSsl(_dir, renewed.Token.CertificatePem!, renewed.ChainPem);
    }

    [Fact]
    public async Task ExecuteAsync_SameKeyOfGenkeyTokenByOwnerInWindow_Renewed()
    {
        var alice = await _s.UserAsync();
        var enrolled = (await _s.EnrolAsync(alice, new EnrolmentRequest { GenerateKey = true, KeyType = "ec", CaName = "localCA" })).Value;
        await _core.SetNotAfterAsync(enrolled.Token.Serial, DateTime.UtcNow.AddDays(10));

        var result = await _core.RenewAsync(alice, new RenewalRequest(enrolled.Token.Serial));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(RenewalSteps.PublicKeyOf(_dir, enrolled.Token.CertificatePem!, "old"), RenewalSteps.PublicKeyOf(_dir, result.Value.Token.CertificatePem!, "new"));
        Assert.Null(result.Value.Pkcs12);
    }
}
