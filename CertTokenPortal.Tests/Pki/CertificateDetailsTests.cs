using CertTokenPortal.Core.Pki;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Pki;

/// <summary>The certificate fields the pages show, checked against what openssl reads from the same certificate.</summary>
[Trait("Category", "ExternalTool")]
public sealed class CertificateDetailsTests : IDisposable
{
    private readonly TempDirectory _dir = new("ctp-details");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Read_OpenSslCertificate_GivesTheFieldsOpenSslReads()
    {
        var pem = MakeCertificate();

        var details = CertificateDetails.Read(pem);

        Assert.True(details.IsSuccess, details.Error?.Message);
        var d = details.Value;
        var path = _dir.File("cert.pem");
        Assert.Equal(Field(ExternalTool.OpenSsl("x509", "-in", path, "-noout", "-fingerprint", "-sha256").StdOut), d.Sha256Fingerprint);
        Assert.Equal(Field(ExternalTool.OpenSsl("x509", "-in", path, "-noout", "-serial").StdOut), d.SerialNumber);
        Assert.Equal("O=Example, CN=details", d.Subject);
        Assert.True(d.IsSelfIssued);
        Assert.Equal(["DNS:a.example.test", "email:a@example.test", "IP:192.0.2.1"], d.SubjectAltNames.Select(n => n.ToString()));
        Assert.Equal("EC P-384", d.KeyDescription);
        Assert.Equal(["digitalSignature", "keyAgreement"], d.KeyUsages);
        Assert.Equal(["clientAuth", "1.2.3.4.5"], d.ExtendedKeyUsages);
        var text = ExternalTool.OpenSsl("x509", "-in", path, "-noout", "-text").StdOut;
        Assert.Equal(text.Contains("CA:TRUE"), d.IsCertificateAuthority);
        Assert.Contains($"Signature Algorithm: {d.SignatureAlgorithm}", text);
        Assert.Equal(30, (int)Math.Round((d.NotAfter - d.NotBefore).TotalDays));
        Assert.Equal(DateTimeKind.Utc, d.NotAfter.Kind);
    }

    [Fact]
    public void Read_DerFileBytes_GivesTheSameDetailsAsThePem()
    {
        var pem = MakeCertificate();
        ExternalTool.OpenSsl("x509", "-in", _dir.File("cert.pem"), "-outform", "DER", "-out", _dir.File("cert.der"));

        var fromDer = CertificateDetails.Read(File.ReadAllBytes(_dir.File("cert.der")));

        Assert.True(fromDer.IsSuccess, fromDer.Error?.Message);
        Assert.Equal(CertificateDetails.Read(pem).Value.Sha256Fingerprint, fromDer.Value.Sha256Fingerprint);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", fromDer.Value.Pem);
    }

    [Fact]
    public void Read_PemFileBytes_ReadsThePem()
    {
        var pem = MakeCertificate();

        var fromFile = CertificateDetails.Read(File.ReadAllBytes(_dir.File("cert.pem")));

        Assert.Equal(CertificateDetails.Read(pem).Value.SerialNumber, fromFile.Value.SerialNumber);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a certificate")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")]
    public void Read_NoCertificate_IsAValidationErrorThatSaysWhy(string input)
    {
        var read = CertificateDetails.Read(input);

        Assert.False(read.IsSuccess);
        Assert.Equal(Core.Common.ErrorKind.Validation, read.Error.Kind);
        Assert.Contains("certificate", read.Error.Message);
    }

    [Fact]
    public void Read_LargerThan64KiB_IsRefusedBeforeParsing()
    {
        var read = CertificateDetails.Read(new byte[CertificateDetails.MaxInputBytes + 1]);

        Assert.Equal("The certificate is larger than 64 KiB; give a single certificate.", read.Error?.Message);
    }

    private string MakeCertificate()
    {
        ExternalTool.OpenSsl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes",
            "-keyout", _dir.File("key.pem"), "-out", _dir.File("cert.pem"), "-subj", "/CN=details/O=Example", "-days", "30",
            "-addext", "subjectAltName=DNS:a.example.test,email:a@example.test,IP:192.0.2.1",
            "-addext", "keyUsage=critical,digitalSignature,keyAgreement",
            "-addext", "extendedKeyUsage=clientAuth,1.2.3.4.5");
        return File.ReadAllText(_dir.File("cert.pem"));
    }

    /// <summary>The value of openssl's "name=value" answer, e.g. "sha256 Fingerprint=AB:CD:...".</summary>
    private static string Field(string output) => output.Trim().Split('=', 2)[1];
}
