using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>CSRs made in-process for API tests (the PKI tests make theirs with the openssl CLI).</summary>
public static class TestCsrs
{
    // Generating RSA keys is the slow part of many tests; one key per size is enough for requests that differ by subject.
    private static readonly Lazy<RSA> Rsa2048 = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> Rsa1024 = new(() => RSA.Create(1024));

    public static string Rsa(string commonName, params string[] dnsNames) => Pem(Rsa2048.Value, commonName, dnsNames);

    public static string WeakRsa1024(string commonName) => Pem(Rsa1024.Value, commonName, []);

    public static string Ec(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        return request.CreateSigningRequestPem();
    }

    /// <summary>A CSR whose signature no longer matches its content (one byte of the subject changed).</summary>
    /// <summary>A self-signed certificate in PEM: what people paste into the request box by mistake.</summary>
    public static string SelfSignedCertificate(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }

    public static string Tampered(string commonName)
    {
        var der = Convert.FromBase64String(string.Concat(Rsa(commonName).Split('\n').Where(l => !l.StartsWith("-----"))));
        var nameBytes = System.Text.Encoding.ASCII.GetBytes(commonName);
        var at = der.AsSpan().IndexOf(nameBytes);
        der[at] ^= 0x01;
        return PemEncoding.WriteString("CERTIFICATE REQUEST", der);
    }

    private static string Pem(RSA key, string commonName, string[] dnsNames)
    {
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (dnsNames.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var dns in dnsNames)
            {
                san.AddDnsName(dns);
            }
            request.CertificateExtensions.Add(san.Build());
        }
        return request.CreateSigningRequestPem();
    }
}
