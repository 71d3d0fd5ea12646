using System.Security.Cryptography;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Pki;

/// <summary>
/// Requests shaped as real devices write them (YubiKey: an empty extension request; HSMs: critical=FALSE written
/// out), judged by OpenSSL first, then by the portal's parser.
/// </summary>
[Trait("Category", "ExternalTool")]
public sealed class CsrParserDeviceRequestTests : IDisposable
{
    private readonly TempDirectory _dir = new("ctp-yk");
    private readonly CsrParser _parser = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("ec", false)]
    [InlineData("rsa", false)]
    [InlineData("ec", true)]
    public void Parse_DeviceShapedCsr_OpenSslVerifiesAndParserAccepts(string kind, bool explicitCriticalFalse)
    {
        using AsymmetricAlgorithm key = kind == "rsa" ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = YubiKeyVectors.Csr(key, "yk-alice", explicitCriticalFalse);
        var path = _dir.File("yk.csr");
        File.WriteAllBytes(path, der);

        var openssl = ExternalTool.OpenSsl("req", "-in", path, "-inform", "DER", "-verify", "-noout", "-text");
        var parsed = _parser.Parse(der);

        Assert.Contains("Certificate request self-signature verify OK", openssl.Output);
        Assert.Contains("Requested Extensions", openssl.Output);
        Assert.True(parsed.IsSuccess, parsed.Error?.ToString());
        Assert.Equal("CN=yk-alice", parsed.Value.SubjectText);
        Assert.Equal(explicitCriticalFalse ? 1 : 0, parsed.Value.SubjectAltNames.Count);
    }

    [Fact]
    public void Parse_DeviceShapedCsrAltered_OpenSslAndParserRefuseTheSignature()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = YubiKeyVectors.Csr(key, "yk-alice");
        // Change one letter of the subject: the signature no longer covers what is sent.
        var at = der.AsSpan().IndexOf("yk-alice"u8);
        der[at + 3] = (byte)'b';
        var path = _dir.File("altered.csr");
        File.WriteAllBytes(path, der);

        var openssl = ExternalTool.Run("openssl", ["req", "-in", path, "-inform", "DER", "-verify", "-noout"]);
        var parsed = _parser.Parse(der);

        // OpenSSL 3 reports the failure in its output while exiting 0.
        Assert.Contains("verify failure", openssl.Output);
        Assert.Equal(ErrorKind.Validation, parsed.Error?.Kind);
        Assert.Contains("signature of the certificate request does not verify", parsed.Error!.Message);
    }

    [Fact]
    public void Parse_DeviceShapedCsrWithSmallRsaKey_StillRefusedAsWeak()
    {
        using var key = RSA.Create(1024);

        var parsed = _parser.Parse(YubiKeyVectors.Csr(key, "yk-weak"));

        Assert.Contains("1024 bits", parsed.Error!.Message);
    }
}
