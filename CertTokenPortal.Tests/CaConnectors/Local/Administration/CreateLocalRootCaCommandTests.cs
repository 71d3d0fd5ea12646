using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using CertTokenPortal.Core.CaConnectors.Publication;
using CertTokenPortal.Core.CaConnectors.Local.Administration;
using CertTokenPortal.Core.CaConnectors.Templates;

namespace CertTokenPortal.Tests.CaConnectors.Local.Administration;

[Trait("Category", "ExternalTool")]
public sealed class CreateLocalRootCaCommandTests(CoreFixture fixture) : IClassFixture<CoreFixture>, IDisposable
{
    private readonly CoreServices _core = fixture.Core;
    private readonly TempDirectory _dir = new("ctp-create");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("rsa", "3072", null, "RSA 3072", "sha256WithRSAEncryption")]
    [InlineData("rsa", "4096", null, "RSA 4096", "sha256WithRSAEncryption")]
    [InlineData("ec", null, "P-256", "EC P-256", "ecdsa-with-SHA256")]
    [InlineData("ec", null, "P-384", "EC P-384", "ecdsa-with-SHA384")]
    public async Task ExecuteAsync_KeyType_RootCaThatIssuesVerifiableCertificates(string keyType, string? keySize, string? curve, string description, string signature)
    {
        var name = $"root-{description.Replace(' ', '-')}";

        var created = await Create(new NewRootCaRequest(name, "CN=Example Root CA,O=Example") { KeyType = keyType, KeySize = keySize, Curve = curve, ValidityDays = 100 });

        Assert.True(created.IsSuccess, created.Error?.ToString());
        Assert.Equal("CN=Example Root CA, O=Example", created.Value.Subject);
        await using (var db = _core.NewDb())
        {
            var local = await db.LocalCas.SingleAsync(l => l.CaConnector.Name == name);
            Assert.Equal(description, local.KeyDescription);
            Assert.Equal(1, local.CrlNumber); // first CRL published
            // Stored encrypted: the blob is no PKCS#8 key, but Data Protection opens it to one.
            Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
                System.Security.Cryptography.ECDsa.Create().ImportPkcs8PrivateKey(local.EncryptedPrivateKey, out _));
            var pkcs8 = _core.Get<Core.Secrets.ISecretProtector>().Unprotect(Core.Secrets.SecretPurposes.CaPrivateKey, local.EncryptedPrivateKey);
            Assert.Equal(keyType == "rsa" ? "1.2.840.113549.1.1.1" : "1.2.840.10045.2.1",
                System.Security.Cryptography.Pkcs.Pkcs8PrivateKeyInfo.Decode(pkcs8, out _).AlgorithmId.Value);
        }
        var ca = TestPki.WritePem(_dir, "ca.pem", (await _core.Get<CaPublication>().GetCertificateAsync(name)).Value.Der is var der
            ? System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der) : null!);
        var text = ExternalTool.OpenSsl("x509", "-in", ca, "-noout", "-text").StdOut;
        Assert.Contains("CA:TRUE", text);
        Assert.Contains("Certificate Sign, CRL Sign", text);
        Assert.Contains($"Signature Algorithm: {signature}", text);

        await _core.InScopeAsync(sp => sp.GetRequiredService<SetTemplateCommand>().ExecuteAsync(TestPki.Admin, name,
            new TemplateRequest("user", 30) { KeyUsage = "digitalSignature", ExtendedKeyUsage = "clientAuth" }));
        var issued = await TestPki.IssueAsync(_core, name, TestPki.OpenSslCsr(_dir, ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"]));
        var leaf = TestPki.WritePem(_dir, "leaf.pem", issued.Certificate);
        Assert.Contains($"{leaf}: OK", ExternalTool.OpenSsl("verify", "-CAfile", ca, leaf).Output);
        Assert.Contains($"Signature Algorithm: {signature}", ExternalTool.OpenSsl("x509", "-in", leaf, "-noout", "-text").StdOut);
    }

    public static TheoryData<NewRootCaRequest, string> BadRequests => new()
    {
        { new NewRootCaRequest("bad-rsa2048", "CN=x") { KeyType = "rsa", KeySize = "2048" }, "A CA key of RSA 2048 bits is not offered" },
        { new NewRootCaRequest("bad-curve", "CN=x") { KeyType = "ec", Curve = "P-521" }, "The curve 'P-521' is not offered" },
        { new NewRootCaRequest("bad-subject", "no equals sign here"), "is not a distinguished name" },
        { new NewRootCaRequest("bad-empty", " "), "The CA needs a subject" },
        { new NewRootCaRequest("bad/name", "CN=x"), "A CA name needs 1 to 64 characters" },
        { new NewRootCaRequest("bad-crl", "CN=x") { CrlValidityDays = 2, CrlOverlapDays = 2 }, "crl_overlap_days must be at least 0 and less than crl_validity_days" },
        { new NewRootCaRequest("bad-days", "CN=x") { ValidityDays = 0 }, "validity_days must be between 1 and 36500 days" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task ExecuteAsync_BadInput_ValidationAndNothingSaved(NewRootCaRequest request, string message)
    {
        var result = await Create(request);

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Contains(message, result.Error!.Message);
        await using var db = _core.NewDb();
        Assert.False(await db.CaConnectors.AnyAsync(c => c.Name == request.Name));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditActions.CaCreate && a.CaName == request.Name && !a.Success));
    }

    [Fact]
    public async Task ExecuteAsync_Helpdesk_Forbidden()
    {
        var result = await _core.InScopeAsync(sp => sp.GetRequiredService<CreateLocalRootCaCommand>()
            .ExecuteAsync(TestPki.Helpdesk, new NewRootCaRequest("by-helpdesk", "CN=x") { KeyType = "ec" }));

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        await using var db = _core.NewDb();
        Assert.False(await db.CaConnectors.AnyAsync(c => c.Name == "by-helpdesk"));
    }

    [Fact]
    public async Task ExecuteAsync_ExistingName_Conflict()
    {
        var result = await Create(new NewRootCaRequest("localCA", "CN=x") { KeyType = "ec" });

        Assert.Equal(ErrorKind.Conflict, result.Error?.Kind);
    }

    [Fact]
    public async Task ExecuteAsync_Success_Audited()
    {
        await Create(new NewRootCaRequest("audited-ca", "CN=Audited") { KeyType = "ec" });

        await using var db = _core.NewDb();
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.CaCreate && a.CaName == "audited-ca");
        Assert.True(entry.Success);
        Assert.Equal("admin", entry.UserName);
    }

    private Task<Result<CaConnectorInfo>> Create(NewRootCaRequest request) =>
        _core.InScopeAsync(sp => sp.GetRequiredService<CreateLocalRootCaCommand>().ExecuteAsync(TestPki.Admin, request));
}
