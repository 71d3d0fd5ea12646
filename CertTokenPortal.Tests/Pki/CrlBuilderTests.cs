using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Pki;

[Trait("Category", "ExternalTool")]
public sealed class CrlBuilderTests : IDisposable
{
    private readonly TempDirectory _dir = new("ctp-crl");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("rsa")]
    [InlineData("ec")]
    public void Build_ManyEntries_OpenSslVerifiesAndListsEveryOne(string keyKind)
    {
        using AsymmetricAlgorithm key = keyKind == "rsa" ? RSA.Create(3072) : ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var ca = new CaSigner(new CertificateFactory(TimeProvider.System).CreateRoot(new X500DistinguishedName("CN=CRL Test CA"), key, 30), [], key);
        var entries = Enumerable.Range(1, 20_000)
            .Select(i => new RevokedEntry($"{i:X32}", DateTime.UtcNow.AddMinutes(-i), (RevocationReason)(i % 2 == 0 ? 1 : 0)))
            .ToList();

        var der = CrlBuilder.Build(ca, 42, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(7), entries);

        var text = ExternalTool.OpenSsl("crl", "-in", TestPki.WriteCrlPem(_dir, "crl.pem", der), "-CAfile",
            TestPki.WritePem(_dir, "ca.pem", ca.Certificate), "-verify", "-noout", "-text").Output;
        Assert.Contains("verify OK", text);
        Assert.Contains("X509v3 CRL Number: \n                42", text);
        Assert.Equal(20_000, text.Split("Serial Number: ").Length - 1);
        Assert.Equal(10_000, text.Split("Key Compromise").Length - 1); // "unspecified" entries carry no reason code
        Assert.Contains("Serial Number: 4E20\n", text); // openssl prints the minimal INTEGER: 20000 = 0x4E20
    }

    [Fact]
    public void Build_SerialWithHighBitAndTimesAfter2049_EncodedAsRfc5280Says()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ca = new CaSigner(new CertificateFactory(TimeProvider.System).CreateRoot(new X500DistinguishedName("CN=CRL Test CA"), key, 30), [], key);

        var der = CrlBuilder.Build(ca, 1, DateTimeOffset.UtcNow, new DateTimeOffset(2051, 1, 2, 3, 4, 5, TimeSpan.Zero),
            [new RevokedEntry("00F1E2D3C4B5A69788796A5B4C3D2E1F00", DateTime.UtcNow, RevocationReason.Superseded)]);

        var text = ExternalTool.OpenSsl("crl", "-in", TestPki.WriteCrlPem(_dir, "crl.pem", der), "-noout", "-text").Output;
        Assert.Contains("Next Update: Jan  2 03:04:05 2051 GMT", text);
        Assert.Contains("Serial Number: F1E2D3C4B5A69788796A5B4C3D2E1F00", text);
        Assert.Contains("Superseded", text);
    }
}
