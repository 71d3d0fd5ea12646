using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Tests.Pki;

/// <summary>The PKCS#12 must open in four independent stacks: OpenSSL 3 (no -legacy), GnuTLS, NSS and .NET.</summary>
[Trait("Category", "ExternalTool")]
public sealed class Pkcs12BuilderTests : IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly TempDirectory _dir = new("ctp-p12");

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> KeyTypes => new() { "RSA 2048", "EC P-256", "EC P-384" };

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public void Build_KeyCertificateAndChain_OpenSslReadsPbes2Aes256AndSha256Mac(string keyType)
    {
        var (p12, _, _) = Make(keyType);

        var info = ExternalTool.OpenSsl("pkcs12", "-info", "-noout", "-in", p12, "-passin", $"pass:{Password}");

        Assert.Contains("MAC: sha256, Iteration 100000", info.Output);
        Assert.Contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256", info.Output);
        Assert.Contains("PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 100000, PRF hmacWithSHA256", info.Output);
        Assert.DoesNotContain("RC2", info.Output);
        Assert.DoesNotContain("3DES", info.Output);

        var dump = ExternalTool.OpenSsl("pkcs12", "-in", p12, "-passin", $"pass:{Password}", "-nodes");
        Assert.Contains("friendlyName: alice certificate", dump.Output);
        Assert.Equal(2, CountOf(dump.Output, "-----BEGIN CERTIFICATE-----")); // the certificate and its CA
        Assert.Contains("-----BEGIN PRIVATE KEY-----", dump.Output);
    }

    [Fact]
    public void Build_WrongPassword_OpenSslRefuses()
    {
        var (p12, _, _) = Make("EC P-256");

        var refused = ExternalTool.Run("openssl", ["pkcs12", "-info", "-noout", "-in", p12, "-passin", "pass:wrong"]);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Mac verify error", refused.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public void Build_KeyCertificateAndChain_GnuTlsCertToolReadsIt(string keyType)
    {
        var (p12, _, _) = Make(keyType);

        var info = ExternalTool.Succeeds("certtool", "--p12-info", "--inder", "--password", Password, "--infile", p12);

        Assert.Contains("MAC: SHA256", info.Output);
        Assert.Contains("Schema: PBES2-AES256-CBC", info.Output);
        Assert.Contains("Type: PKCS #8 Encrypted key", info.Output);
        Assert.Contains("Friendly name: alice certificate", info.Output);
    }

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public void Build_KeyCertificateAndChain_NssPk12UtilListsAndImportsIt(string keyType)
    {
        var (p12, _, _) = Make(keyType);
        var db = Directory.CreateDirectory(_dir.File("nssdb")).FullName;
        ExternalTool.Succeeds("certutil", "-N", "-d", $"sql:{db}", "--empty-password");

        var listed = ExternalTool.Succeeds("pk12util", "-l", p12, "-W", Password, "-d", $"sql:{db}");
        Assert.Contains("alice certificate", listed.Output);
        Assert.Contains("AES-256-CBC", listed.Output);

        ExternalTool.Succeeds("pk12util", "-i", p12, "-W", Password, "-d", $"sql:{db}", "-K", "");
        var keys = ExternalTool.Succeeds("certutil", "-K", "-d", $"sql:{db}");
        Assert.Contains("alice certificate", keys.Output);
    }

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public void Build_KeyCertificateAndChain_DotNetLoaderOpensItWithKey(string keyType)
    {
        var (p12, leaf, ca) = Make(keyType);
        var bytes = File.ReadAllBytes(p12);

        using var loaded = X509CertificateLoader.LoadPkcs12(bytes, Password);
        var all = X509CertificateLoader.LoadPkcs12Collection(bytes, Password);

        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(leaf.Thumbprint, loaded.Thumbprint);
        Assert.Equal(new[] { leaf.Thumbprint, ca.Thumbprint }.Order(), all.Select(c => c.Thumbprint).Order());
    }

    [Fact]
    public void Build_ConfiguredIterations_AreUsed()
    {
        var (p12, _, _) = Make("EC P-256", new Pkcs12Builder(Options.Create(new Pkcs12Options { Iterations = 4096 })));

        var info = ExternalTool.OpenSsl("pkcs12", "-info", "-noout", "-in", p12, "-passin", $"pass:{Password}");

        Assert.Contains("MAC: sha256, Iteration 4096", info.Output);
        Assert.Contains("AES-256-CBC, Iteration 4096", info.Output);
    }

    [Fact]
    public async Task Build_FromDependencyInjection_UsesPortalPkcs12Iterations()
    {
        await using var core = await CoreServices.StartAsync(new Dictionary<string, string?> { ["Portal:Pkcs12:Iterations"] = "50000" });

        var (p12, _, _) = Make("EC P-256", core.Get<Pkcs12Builder>());

        Assert.Contains("MAC: sha256, Iteration 50000", ExternalTool.OpenSsl("pkcs12", "-info", "-noout", "-in", p12, "-passin", $"pass:{Password}").Output);
    }

    private (string Path, X509Certificate2 Leaf, X509Certificate2 Ca) Make(string keyType, Pkcs12Builder? builder = null)
    {
        var factory = new CertificateFactory(TimeProvider.System);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var ca = new CaSigner(factory.CreateRoot(new X500DistinguishedName("CN=Test Root"), caKey, 30), [], caKey);
        var spec = keyType switch { "RSA 2048" => KeySpec.Rsa(2048), "EC P-256" => KeySpec.Ec("P-256"), _ => KeySpec.Ec("P-384") };
        using var key = new KeyGenerator().Generate(spec);
        var csr = new CsrBuilder().Build(key, new X500DistinguishedName("CN=alice"));
        var leaf = factory.IssueEndEntity(ca, csr.Subject, csr.Request.PublicKey,
            new CertificateProfile(30, X509KeyUsageFlags.DigitalSignature, [], false), [], CaUrls.For("http://pki.test", "t"));

        var bytes = (builder ?? new Pkcs12Builder()).Build(key, leaf, [ca.Certificate], Password, "alice certificate");

        var path = _dir.File($"{Guid.NewGuid():N}.p12");
        File.WriteAllBytes(path, bytes);
        return (path, leaf, ca.Certificate);
    }

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "").Length) / what.Length;
}
