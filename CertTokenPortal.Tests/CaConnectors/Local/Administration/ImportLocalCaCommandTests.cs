using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using CertTokenPortal.Core.CaConnectors.Local.Administration;
using CertTokenPortal.Core.CaConnectors.Templates;

namespace CertTokenPortal.Tests.CaConnectors.Local.Administration;

/// <summary>
/// A root (RSA 3072) and an intermediate (EC P-384) made by openssl, imported with every key format; each imported CA
/// must issue certificates that openssl chains to the imported root.
/// </summary>
[Trait("Category", "ExternalTool")]
public sealed class ImportLocalCaCommandTests : IClassFixture<CoreFixture>, IClassFixture<ImportLocalCaCommandTests.OpenSslCas>
{
    private const string Passphrase = "s3cret passphrase";
    private readonly CoreServices _core;
    private readonly OpenSslCas _cas;

    public ImportLocalCaCommandTests(CoreFixture fixture, OpenSslCas cas)
    {
        _core = fixture.Core;
        _cas = cas;
    }

    public static TheoryData<string, string> KeyFormats => new()
    {
        { "root", "pkcs8" },
        { "root", "pkcs1" },
        { "root", "encrypted-pkcs8" },
        { "root", "legacy-encrypted" },
        { "root", "pkcs12" },
        { "intermediate", "pkcs8" },
        { "intermediate", "sec1" },
        { "intermediate", "encrypted-pkcs8" },
        { "intermediate", "legacy-encrypted" },
        { "intermediate", "pkcs12" },
    };

    [Theory]
    [MemberData(nameof(KeyFormats))]
    public async Task ExecuteAsync_CaInKeyFormat_IssuesCertificatesThatChainToImportedRoot(string which, string format)
    {
        var name = $"imp-{which}-{format}";

        var imported = await Import(_cas.Request(name, which, format));

        Assert.True(imported.IsSuccess, imported.Error?.ToString());
        Assert.Equal(which == "root" ? "CN=Import Root" : "CN=Import Intermediate", imported.Value.Subject);
        await AddUserTemplate(name);
        var issued = await TestPki.IssueAsync(_core, name, TestPki.OpenSslCsr(_cas.Dir, ["rsa:2048"], name: name));
        var leaf = TestPki.WritePem(_cas.Dir, $"{name}.leaf.pem", issued.Certificate);
        Assert.Contains($"{leaf}: OK", ExternalTool.OpenSsl("verify", "-CAfile", _cas.Dir.File("root.pem"),
            "-untrusted", _cas.Dir.File("inter.pem"), leaf).Output);
        Assert.Equal(which == "root" ? 1 : 2, issued.Chain.Count);
        Assert.Equal("CN=Import Root", issued.Chain[^1].Subject);

        // The first CRL is signed by the imported key and verifies against the imported CA certificate.
        var crl = await TestPki.ConnectorAsync<Core.CaConnectors.ICrlPublisher>(_core, name);
        var crlPem = TestPki.WriteCrlPem(_cas.Dir, $"{name}.crl.pem", (await crl.GetCurrentCrlAsync(default))!.Der);
        Assert.Contains("verify OK", ExternalTool.OpenSsl("crl", "-in", crlPem, "-CAfile", TestPki.WritePem(_cas.Dir, $"{name}.ca.pem", issued.Chain[0]), "-verify", "-noout").Output);
    }

    [Fact]
    public async Task ExecuteAsync_KeyOfAnotherCertificate_RefusedAndNothingSaved()
    {
        var request = _cas.Request("imp-mismatch", "root", "pkcs8") with { KeyPem = File.ReadAllText(_cas.Dir.File("other-rsa.key")) };

        var result = await Import(request);

        await AssertRefused(result, "imp-mismatch", ErrorKind.Validation, "The private key does not belong to the CA certificate.");
    }

    [Fact]
    public async Task ExecuteAsync_EndEntityCertificate_RefusedAsNotACa()
    {
        var request = new ImportCaRequest("imp-leaf")
        {
            CertificatePem = File.ReadAllText(_cas.Dir.File("leaf.pem")),
            KeyPem = File.ReadAllText(_cas.Dir.File("leaf.key")),
        };

        var result = await Import(request);

        await AssertRefused(result, "imp-leaf", ErrorKind.Validation, "is not a CA certificate (basicConstraints CA:TRUE is missing)");
    }

    [Theory]
    [InlineData("encrypted-pkcs8", "The CA key cannot be decrypted: the passphrase is wrong")]
    [InlineData("legacy-encrypted", "The CA key cannot be decrypted: the passphrase is wrong")]
    [InlineData("pkcs12", "The PKCS#12 file cannot be opened: the password is wrong")]
    public async Task ExecuteAsync_WrongPassphrase_Refused(string format, string message)
    {
        var request = _cas.Request($"imp-pw-{format}", "root", format) with { KeyPassword = "wrong", Pkcs12Password = format == "pkcs12" ? "wrong" : null };

        var result = await Import(request);

        await AssertRefused(result, $"imp-pw-{format}", ErrorKind.Validation, message);
    }

    [Fact]
    public async Task ExecuteAsync_IntermediateWithoutItsChain_Refused()
    {
        var request = _cas.Request("imp-nochain", "intermediate", "pkcs8") with { CertificatePem = File.ReadAllText(_cas.Dir.File("inter.pem")) };

        var result = await Import(request);

        await AssertRefused(result, "imp-nochain", ErrorKind.Validation, "which is not a root");
    }

    [Fact]
    public async Task ExecuteAsync_Helpdesk_ForbiddenAndNothingSaved()
    {
        var result = await _core.InScopeAsync(sp => sp.GetRequiredService<ImportLocalCaCommand>().ExecuteAsync(TestPki.Helpdesk, _cas.Request("imp-helpdesk", "root", "pkcs8")));

        await AssertRefused(result, "imp-helpdesk", ErrorKind.Forbidden, "Only admins may import CAs.");
    }

    [Fact]
    public async Task ExecuteAsync_TakenName_Conflict()
    {
        var result = await Import(_cas.Request("localCA", "root", "pkcs8"));

        Assert.Equal(ErrorKind.Conflict, result.Error?.Kind);
    }

    private Task<Result<Core.CaConnectors.CaConnectorInfo>> Import(ImportCaRequest request) =>
        _core.InScopeAsync(sp => sp.GetRequiredService<ImportLocalCaCommand>().ExecuteAsync(TestPki.Admin, request));

    private Task AddUserTemplate(string caName) =>
        _core.InScopeAsync(sp => sp.GetRequiredService<SetTemplateCommand>().ExecuteAsync(TestPki.Admin, caName,
            new TemplateRequest("user", 30) { KeyUsage = "digitalSignature", ExtendedKeyUsage = "clientAuth" }));

    private async Task AssertRefused<T>(Result<T> result, string name, ErrorKind kind, string message)
    {
        Assert.Equal(kind, result.Error?.Kind);
        Assert.Contains(message, result.Error!.Message);
        await using var db = _core.NewDb();
        Assert.False(await db.CaConnectors.AnyAsync(c => c.Name == name));
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditActions.CaImport && a.CaName == name && !a.Success));
    }

    /// <summary>The openssl-made CAs and their keys in every format, made once for the class.</summary>
    public sealed class OpenSslCas : IDisposable
    {
        public TempDirectory Dir { get; } = new("ctp-import");

        public OpenSslCas()
        {
            string F(string name) => Dir.File(name);
            File.WriteAllText(F("ca.ext"), "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
            File.WriteAllText(F("leaf.ext"), "basicConstraints=critical,CA:FALSE\n");
            ExternalTool.OpenSsl("req", "-x509", "-newkey", "rsa:3072", "-nodes", "-keyout", F("root.key"), "-subj", "/CN=Import Root",
                "-days", "30", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", F("root.pem"));
            ExternalTool.OpenSsl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes", "-keyout", F("inter.key"),
                "-subj", "/CN=Import Intermediate", "-out", F("inter.csr"));
            ExternalTool.OpenSsl("x509", "-req", "-in", F("inter.csr"), "-CA", F("root.pem"), "-CAkey", F("root.key"), "-set_serial", "2",
                "-days", "20", "-extfile", F("ca.ext"), "-out", F("inter.pem"));
            ExternalTool.OpenSsl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", F("leaf.key"), "-subj", "/CN=Not a CA", "-out", F("leaf.csr"));
            ExternalTool.OpenSsl("x509", "-req", "-in", F("leaf.csr"), "-CA", F("root.pem"), "-CAkey", F("root.key"), "-set_serial", "3",
                "-days", "20", "-extfile", F("leaf.ext"), "-out", F("leaf.pem"));
            ExternalTool.OpenSsl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", F("other-rsa.key"));

            foreach (var (which, key, tool) in new[] { ("root", "root.key", "rsa"), ("intermediate", "inter.key", "ec") })
            {
                ExternalTool.OpenSsl([tool, "-in", F(key), "-out", F($"{which}.traditional.key"), .. tool == "rsa" ? new[] { "-traditional" } : []]);
                ExternalTool.OpenSsl("pkcs8", "-topk8", "-in", F(key), "-v2", "aes-256-cbc", "-passout", $"pass:{Passphrase}", "-out", F($"{which}.enc.key"));
                ExternalTool.OpenSsl([tool, "-in", F(key), "-aes256", "-passout", $"pass:{Passphrase}", "-out", F($"{which}.legacy.key"), .. tool == "rsa" ? new[] { "-traditional" } : []]);
                var certificate = which == "root" ? F("root.pem") : F("inter.pem");
                ExternalTool.OpenSsl([ "pkcs12", "-export", "-in", certificate, "-inkey", F(key), "-passout", $"pass:{Passphrase}", "-out", F($"{which}.p12"),
                    .. which == "root" ? Array.Empty<string>() : ["-certfile", F("root.pem")]]);
            }
            Assert.Contains("BEGIN RSA PRIVATE KEY", File.ReadAllText(F("root.traditional.key")));
            Assert.Contains("BEGIN EC PRIVATE KEY", File.ReadAllText(F("intermediate.traditional.key")));
            Assert.Contains("Proc-Type: 4,ENCRYPTED", File.ReadAllText(F("root.legacy.key")));
            Assert.Contains("BEGIN ENCRYPTED PRIVATE KEY", File.ReadAllText(F("root.enc.key")));
        }

        public ImportCaRequest Request(string name, string which, string format)
        {
            var certificatePem = which == "root"
                ? File.ReadAllText(Dir.File("root.pem"))
                : File.ReadAllText(Dir.File("inter.pem")) + File.ReadAllText(Dir.File("root.pem"));
            var key = which == "root" ? "root" : "intermediate";
            return format switch
            {
                "pkcs12" => new ImportCaRequest(name)
                {
                    Pkcs12Base64 = Convert.ToBase64String(File.ReadAllBytes(Dir.File($"{key}.p12"))),
                    Pkcs12Password = Passphrase,
                },
                _ => new ImportCaRequest(name)
                {
                    CertificatePem = certificatePem,
                    KeyPem = File.ReadAllText(Dir.File(format switch
                    {
                        "pkcs8" => which == "root" ? "root.key" : "inter.key",
                        "pkcs1" or "sec1" => $"{key}.traditional.key",
                        "encrypted-pkcs8" => $"{key}.enc.key",
                        _ => $"{key}.legacy.key",
                    })),
                    KeyPassword = format.Contains("encrypted") ? Passphrase : null,
                },
            };
        }

        public void Dispose() => Dir.Dispose();
    }
}
