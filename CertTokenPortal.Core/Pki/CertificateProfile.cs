using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Core.Pki;

/// <summary>What goes into an end-entity certificate besides the subject and key: a template, made concrete.</summary>
public sealed record CertificateProfile(
    int ValidityDays,
    X509KeyUsageFlags KeyUsage,
    IReadOnlyList<Oid> ExtendedKeyUsages,
    bool CopySans);

/// <summary>The URLs under <c>Portal:PublicBaseUrl</c> where a CA's CRL, certificate and OCSP responder are served.</summary>
public sealed record CaUrls(string Crl, string Certificate, string Ocsp)
{
    public static CaUrls For(string publicBaseUrl, string caName)
    {
        var root = $"{publicBaseUrl.TrimEnd('/')}/ca/{Uri.EscapeDataString(caName)}";
        return new CaUrls($"{root}/crl", $"{root}/cert", $"{root}/ocsp");
    }
}
