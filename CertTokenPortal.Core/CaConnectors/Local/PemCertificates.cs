using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Core.CaConnectors.Local;

/// <summary>Certificates in PEM text, in order.</summary>
public static class PemCertificates
{
    public static IReadOnlyList<X509Certificate2> ReadAll(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return [];
        }
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return collection.ToList();
    }

    public static string Write(IEnumerable<X509Certificate2> certificates) =>
        string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n"));
}
