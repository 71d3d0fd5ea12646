using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Configuration;
using CertTokenPortal.Core.Startup;

namespace CertTokenPortal.Core.Secrets;

/// <summary>Loads the certificate that encrypts the Data Protection key ring (<c>Portal:DataProtection</c>).</summary>
public static class KeyRingCertificate
{
    /// <summary>The certificate with its private key, or null when none is configured; a configured but unusable one stops the start.</summary>
    public static X509Certificate2? Load(DataProtectionSettings? settings)
    {
        if (settings is null || (string.IsNullOrWhiteSpace(settings.CertificatePath) && string.IsNullOrWhiteSpace(settings.CertificateBase64)))
        {
            return null;
        }
        var source = string.IsNullOrWhiteSpace(settings.CertificatePath) ? "Portal:DataProtection:CertificateBase64" : $"'{settings.CertificatePath}'";
        X509Certificate2 certificate;
        try
        {
            var bytes = string.IsNullOrWhiteSpace(settings.CertificatePath)
                ? Convert.FromBase64String(settings.CertificateBase64!.Trim())
                : File.ReadAllBytes(settings.CertificatePath);
            certificate = X509CertificateLoader.LoadPkcs12(bytes, settings.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or FormatException)
        {
            throw new PortalStartupException(
                $"The key ring certificate {source} cannot be read ({e.Message}). Give a PKCS#12 file with its private key and the right Portal:DataProtection:CertificatePassword.", e);
        }
        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            throw new PortalStartupException($"The key ring certificate {source} needs an RSA private key in the same PKCS#12 file.");
        }
        return certificate;
    }
}
