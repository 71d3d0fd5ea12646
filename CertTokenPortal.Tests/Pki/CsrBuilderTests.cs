using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Pki;

[Trait("Category", "ExternalTool")]
public sealed class CsrBuilderTests : IDisposable
{
    private readonly TempDirectory _dir = new("ctp-csrb");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("rsa", "2048")]
    [InlineData("ec", "P-384")]
    public void Build_GeneratedKey_OpenSslVerifiesAndParserAccepts(string type, string size)
    {
        var spec = KeySpec.Parse(type, type == "rsa" ? size : null, type == "ec" ? size : null).Value;
        using var key = new KeyGenerator().Generate(spec);

        var csr = new CsrBuilder().Build(key, new X500DistinguishedName("CN=alice, O=Example"));

        var path = _dir.File("built.csr");
        File.WriteAllBytes(path, csr.Der);
        var verified = ExternalTool.OpenSsl("req", "-in", path, "-inform", "DER", "-verify", "-noout", "-subject");
        Assert.Contains("verify OK", verified.Output);
        Assert.Contains("subject=O = Example, CN = alice", verified.Output);

        var reparsed = new CsrParser().Parse(csr.Der);
        Assert.True(reparsed.IsSuccess, reparsed.Error?.ToString());
        Assert.Equal(csr.KeyDescription, reparsed.Value.KeyDescription);
        Assert.Equal(csr.SignatureAlgorithm, reparsed.Value.SignatureAlgorithm);
        Assert.Equal(spec.Description, csr.KeyDescription);
    }

    [Fact]
    public void Build_EmptySubject_Throws()
    {
        using var key = new KeyGenerator().Generate(KeySpec.Ec("P-256"));

        Assert.Throws<ArgumentException>(() => new CsrBuilder().Build(key, new X500DistinguishedName("")));
    }
}
