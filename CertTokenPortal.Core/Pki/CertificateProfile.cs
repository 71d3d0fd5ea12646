using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Core.Pki;

/// <summary>What goes into an end-entity certificate besides the subject and key: a template, made concrete.</summary>
public sealed record CertificateProfile(
    int ValidityDays,
    X509KeyUsageFlags KeyUsage,
    IReadOnlyList<Oid> ExtendedKeyUsages,
    bool CopySans)
{
    /// <summary>
    /// Leaves out the key usages the key cannot serve: an EC key cannot encipher (keyEncipherment, dataEncipherment),
    /// an RSA key cannot agree keys (keyAgreement, encipherOnly, decipherOnly). RFC 5480 3 and RFC 4055 1.2.
    /// </summary>
    public CertificateProfile FitTo(KeyAlgorithmKind key)
    {
        var unfit = key == KeyAlgorithmKind.Ec
            ? X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment
            : X509KeyUsageFlags.KeyAgreement | X509KeyUsageFlags.EncipherOnly | X509KeyUsageFlags.DecipherOnly;
        return this with { KeyUsage = KeyUsage & ~unfit };
    }
}

/// <summary>The URLs under <c>Portal:PublicBaseUrl</c> where a CA's CRL, certificate and OCSP responder are served.</summary>
public sealed record CaUrls(string Crl, string Certificate, string Ocsp)
{
    public static CaUrls For(string publicBaseUrl, string caName)
    {
        var root = $"{publicBaseUrl.TrimEnd('/')}/ca/{Uri.EscapeDataString(caName)}";
        return new CaUrls($"{root}/crl", $"{root}/cert", $"{root}/ocsp");
    }
}
