using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.Secrets;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>Puts an issued certificate, and for generated keys the encrypted PKCS#12, into a token.</summary>
public sealed class TokenCertificateWriter(Pkcs12Builder pkcs12Builder, ISecretProtector secrets)
{
    /// <summary>A PKCS#12 just built: the file, and the random password when no PIN protects it.</summary>
    public sealed record Pkcs12Bundle(byte[] Pkcs12, string? GeneratedPassword);

    /// <param name="token">The token to fill.</param>
    /// <param name="certificate">Its certificate.</param>
    /// <param name="keyDescription">
    /// The key as the CSR described it ("RSA 2048"), when the certificate was issued for a checked CSR. Reading it
    /// from the certificate instead means importing the public key, which OpenSSL 3 makes one of the dearer steps of
    /// an enrolment.
    /// </param>
    public void Fill(CertificateToken token, X509Certificate2 certificate, string? keyDescription = null)
    {
        token.CertificatePem = certificate.ExportCertificatePem();
        token.CertificateSerial = certificate.SerialNumber;
        token.Subject = certificate.Subject;
        token.Issuer = certificate.Issuer;
        token.NotBefore = certificate.NotBefore.ToUniversalTime();
        token.NotAfter = certificate.NotAfter.ToUniversalTime();
        token.KeyDescription = keyDescription ?? DescribeKey(certificate);
    }

    /// <summary>
    /// Builds the PKCS#12 (protected by the PIN, or by a random password returned once) and stores it in the token
    /// encrypted with Data Protection. The plain private key is never written anywhere.
    /// </summary>
    public Pkcs12Bundle AttachPkcs12(CertificateToken token, AsymmetricAlgorithm key, IssuedCertificate issued, string? pin)
    {
        var generatedPassword = string.IsNullOrEmpty(pin) ? PasswordGenerator.NewUrlSafePassword() : null;
        var pkcs12 = pkcs12Builder.Build(key, issued.Certificate, issued.Chain, pin ?? generatedPassword!, $"{token.Serial} {token.OwnerUserName}");
        token.EncryptedPkcs12 = secrets.Protect(SecretPurposes.TokenPkcs12, pkcs12);
        return new Pkcs12Bundle(pkcs12, generatedPassword);
    }

    public static string DescribeKey(X509Certificate2 certificate) => CertificateDetails.DescribeKey(certificate);
}
