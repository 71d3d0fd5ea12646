using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Pki;

[Trait("Category", "ExternalTool")]
public sealed class CsrParserTests : IDisposable
{
    private readonly TempDirectory _dir = new("ctp-csr");
    private readonly CsrParser _parser = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, KeyAlgorithmKind, int, string?> AcceptedKeys => new()
    {
        { "rsa:2048", KeyAlgorithmKind.Rsa, 2048, null },
        { "rsa:3072", KeyAlgorithmKind.Rsa, 3072, null },
        { "rsa:4096", KeyAlgorithmKind.Rsa, 4096, null },
        { "ec:P-256", KeyAlgorithmKind.Ec, 256, "P-256" },
        { "ec:P-384", KeyAlgorithmKind.Ec, 384, "P-384" },
        { "ec:P-521", KeyAlgorithmKind.Ec, 521, "P-521" },
    };

    [Theory]
    [MemberData(nameof(AcceptedKeys))]
    public void Parse_OpenSslCsrOfAcceptedKeyType_ReadsKeyAndSubject(string key, KeyAlgorithmKind algorithm, int size, string? curve)
    {
        var csr = TestPki.OpenSslCsr(_dir, NewKey(key), "/O=Example/CN=alice");

        var parsed = _parser.Parse(csr);

        Assert.True(parsed.IsSuccess, parsed.Error?.ToString());
        Assert.Equal(algorithm, parsed.Value.KeyAlgorithm);
        Assert.Equal(size, parsed.Value.KeySize);
        Assert.Equal(curve, parsed.Value.Curve);
        Assert.Equal("CN=alice, O=Example", parsed.Value.SubjectText);
        Assert.Equal(algorithm == KeyAlgorithmKind.Rsa ? "sha256WithRSAEncryption" : "ecdsa-with-SHA256", parsed.Value.SignatureAlgorithm);
    }

    [Fact]
    public void Parse_EveryInputForm_GivesTheSameRequest()
    {
        var pem = TestPki.OpenSslCsr(_dir, ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"]);
        var der = new CsrParser().Parse(pem).Value.Der;
        var body = string.Join("", pem.Split('\n').Where(l => !l.StartsWith("-----")));
        string[] texts =
        [
            pem,
            pem.Replace("\n", ""),                  // line breaks lost, header lines glued to the base64
            pem.Replace("\n", "\r\n"),              // Windows line ends
            body,                                   // header lines missing
            Convert.ToBase64String(der),            // base64 DER
            pem.Replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"),
        ];

        foreach (var text in texts)
        {
            var parsed = _parser.Parse(text);
            Assert.True(parsed.IsSuccess, $"{text}: {parsed.Error}");
            Assert.Equal(der, parsed.Value.Der);
        }
        Assert.Equal(der, _parser.Parse(der).Value.Der);                                   // raw DER
        Assert.Equal(der, _parser.Parse(System.Text.Encoding.ASCII.GetBytes(pem)).Value.Der); // a PEM file's bytes
    }

    [Fact]
    public void Parse_CsrWithSubjectAltNames_ReadsDnsEmailUpnIpAndUri()
    {
        var csr = TestPki.OpenSslCsr(_dir, ["rsa:2048"], extra:
        [
            "-addext", "subjectAltName=DNS:www.example.com,email:alice@example.com,IP:192.0.2.7,URI:https://example.com/alice,otherName:1.3.6.1.4.1.311.20.2.3;UTF8:alice@corp.example",
        ]);

        var sans = _parser.Parse(csr).Value.SubjectAltNames;

        Assert.Equal(
            ["DNS:www.example.com", "email:alice@example.com", "IP:192.0.2.7", "URI:https://example.com/alice", "UPN:alice@corp.example"],
            sans.Select(s => s.ToString()).ToArray());
    }

    public static TheoryData<string[], string> RefusedKeys => new()
    {
        { ["-newkey", "rsa:1024"], "has 1024 bits; at least 2048 bits are required" },
        { ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:secp256k1"], "EC curve secp256k1 of the certificate request is not accepted" },
        { ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-224"], "EC curve P-224 (secp224r1) of the certificate request is not accepted" },
        { ["-newkey", "rsa:2048", "-sha1"], "signed with sha1WithRSAEncryption; SHA-1 and MD5 signatures are refused" },
        { ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-sha1"], "signed with ecdsa-with-SHA1; SHA-1 and MD5 signatures are refused" },
    };

    [Theory]
    [MemberData(nameof(RefusedKeys))]
    public void Parse_WeakOrUnknownKeyOrSignature_RefusedWithItsMessage(string[] opensslArguments, string message)
    {
        var path = _dir.File("weak.csr");
        ExternalTool.OpenSsl(["req", "-new", .. opensslArguments, "-nodes", "-keyout", _dir.File("weak.key"), "-subj", "/CN=alice", "-out", path]);

        var parsed = _parser.Parse(File.ReadAllText(path));

        Assert.False(parsed.IsSuccess);
        Assert.Equal(ErrorKind.Validation, parsed.Error.Kind);
        Assert.Contains(message, parsed.Error.Message);
    }

    [Fact]
    public void Parse_EmptySubject_Refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = new CertificateRequest(new X500DistinguishedName(""), key, HashAlgorithmName.SHA256).CreateSigningRequest();

        var parsed = _parser.Parse(der);

        Assert.Equal("The certificate request has an empty subject; it needs at least a common name (CN).", parsed.Error?.Message);
    }

    [Fact]
    public void Parse_TamperedSignature_Refused()
    {
        var der = _parser.Parse(TestPki.OpenSslCsr(_dir, ["rsa:2048"])).Value.Der;
        der[^1] ^= 0x01; // the last byte is inside the signature BIT STRING

        var parsed = _parser.Parse(der);

        Assert.Equal("The signature of the certificate request does not verify; the request was altered or not signed by its key.", parsed.Error?.Message);
    }

    [Fact]
    public void Parse_TamperedSubject_SignatureRefused()
    {
        var pem = TestPki.OpenSslCsr(_dir, ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"], "/CN=alice");
        var der = _parser.Parse(pem).Value.Der;
        var at = der.AsSpan().IndexOf("alice"u8);
        der[at] = (byte)'m'; // "mlice": same length, different signed content

        Assert.Contains("does not verify", _parser.Parse(der).Error?.Message);
    }

    [Fact]
    public void Parse_CertificateInsteadOfRequest_SaysChooseUploadCertificate()
    {
        var pem = TestCsrs.SelfSignedCertificate("pasted-cert");
        var der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));

        Assert.Equal(PkiErrors.CertificateNotRequest, _parser.Parse(pem).Error);
        Assert.Equal(PkiErrors.CertificateNotRequest, _parser.Parse(der).Error);
        Assert.Contains("choose Upload certificate", PkiErrors.CertificateNotRequest.Message);
    }

    [Theory]
    [InlineData("this is not a certificate request")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----")]
    [InlineData("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA")]
    public void Parse_Garbage_Refused(string input)
    {
        var parsed = _parser.Parse(input);

        Assert.Equal("The input is not a PKCS#10 certificate request (expected PEM, base64 or DER).", parsed.Error?.Message);
    }

    [Fact]
    public void Parse_CertificateInsteadOfRequest_Refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var certificate = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal(ErrorKind.Validation, _parser.Parse(certificate.ExportCertificatePem()).Error?.Kind);
    }

    [Fact]
    public void Parse_EmptyInput_Refused() =>
        Assert.Equal("The certificate request is empty.", _parser.Parse("  \n").Error?.Message);

    [Fact]
    public void Parse_InputOver64KiB_RefusedAsTextAndAsBytes()
    {
        var pem = TestPki.OpenSslCsr(_dir, ["rsa:2048"]);
        var padded = pem + new string('\n', CsrParser.MaxInputBytes);
        const string message = "The certificate request is larger than 64 KiB; no real request is that big.";

        Assert.Equal(message, _parser.Parse(padded).Error?.Message);
        Assert.Equal(message, _parser.Parse(System.Text.Encoding.ASCII.GetBytes(padded)).Error?.Message);
        Assert.True(_parser.Parse(pem + new string('\n', 100)).IsSuccess); // trailing white space alone is fine
    }

    private static string[] NewKey(string key) => key.StartsWith("ec:", StringComparison.Ordinal)
        ? ["ec", "-pkeyopt", $"ec_paramgen_curve:{key[3..]}"]
        : [key];
}
