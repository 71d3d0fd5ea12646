using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Crypto;

namespace CertTokenPortal.Core.CaConnectors.Local.Administration;

/// <summary>
/// Reads an imported CA's private key: PEM PKCS#1, SEC1, PKCS#8, encrypted PKCS#8, legacy "Proc-Type: 4,ENCRYPTED"
/// PEM, or a PKCS#12 file with its certificates.
/// </summary>
internal static class CaKeyReader
{
    /// <summary>Reads a PEM key of the kind the certificate's key is (RSA or EC).</summary>
    public static Result<AsymmetricAlgorithm> ReadPem(string pem, string? password, X509Certificate2 certificate)
    {
        if (pem.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            return ReadLegacyEncryptedPem(pem, password);
        }
        AsymmetricAlgorithm key = certificate.GetKeyAlgorithm() == CurveNames.EcPublicKeyOid ? ECDsa.Create() : RSA.Create();
        var encrypted = pem.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);
        try
        {
            if (encrypted)
            {
                if (string.IsNullOrEmpty(password))
                {
                    key.Dispose();
                    return PortalError.Validation("The CA key is encrypted; give its passphrase (cakey_password).");
                }
                key.ImportFromEncryptedPem(pem, password);
            }
            else
            {
                key.ImportFromPem(pem);
            }
            return key;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            return PortalError.Validation(encrypted
                ? "The CA key cannot be decrypted: the passphrase is wrong or the key is not an encrypted PKCS#8 key."
                : $"The CA key is not a PEM {(key is ECDsa ? "EC" : "RSA")} private key (PKCS#1, SEC1 or PKCS#8) that matches the certificate's key type.");
        }
    }

    /// <summary>
    /// OpenSSL's pre-PKCS#8 encrypted PEM (DEK-Info with an MD5-based key derivation): .NET does not read it,
    /// BouncyCastle's PemReader does; the key is handed to .NET as PKCS#8 at once.
    /// </summary>
    private static Result<AsymmetricAlgorithm> ReadLegacyEncryptedPem(string pem, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return PortalError.Validation("The CA key is encrypted; give its passphrase (cakey_password).");
        }
        try
        {
            using var reader = new StringReader(pem);
            var read = new PemReader(reader, new Passphrase(password)).ReadObject();
            var privateKey = read switch
            {
                AsymmetricCipherKeyPair pair => pair.Private,
                AsymmetricKeyParameter { IsPrivate: true } single => single,
                _ => null,
            };
            if (privateKey is null)
            {
                return PortalError.Validation("The encrypted PEM holds no private key.");
            }
            var pkcs8 = PrivateKeyInfoFactory.CreatePrivateKeyInfo(privateKey).GetEncoded();
            AsymmetricAlgorithm key = privateKey is Org.BouncyCastle.Crypto.Parameters.ECPrivateKeyParameters ? ECDsa.Create() : RSA.Create();
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            CryptographicOperations.ZeroMemory(pkcs8);
            return key;
        }
        catch (Exception e) when (e is PemException or InvalidCipherTextException or IOException or CryptographicException or ArgumentException or InvalidOperationException)
        {
            return PortalError.Validation("The CA key cannot be decrypted: the passphrase is wrong or the PEM is damaged.");
        }
    }

    /// <summary>The certificate that has a private key in a PKCS#12 file, its key, and the other certificates.</summary>
    public static Result<(X509Certificate2 Certificate, AsymmetricAlgorithm Key, IReadOnlyList<X509Certificate2> Others)> ReadPkcs12(string base64, string? password)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(string.Concat((base64 ?? "").Where(c => !char.IsWhiteSpace(c))));
        }
        catch (FormatException)
        {
            return PortalError.Validation("pkcs12 is not base64.");
        }
        X509Certificate2Collection collection;
        try
        {
            collection = X509CertificateLoader.LoadPkcs12Collection(bytes, password, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException)
        {
            return PortalError.Validation("The PKCS#12 file cannot be opened: the password is wrong or the file is damaged.");
        }
        var withKey = collection.Where(c => c.HasPrivateKey).ToList();
        if (withKey.Count != 1)
        {
            return PortalError.Validation($"The PKCS#12 file must hold exactly one private key with its certificate; it holds {withKey.Count}.");
        }
        var certificate = withKey[0];
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new CryptographicException("Unsupported key.");
        // Detach the key from the loader's handle, so the caller owns a plain key object.
        var pkcs8 = key.ExportPkcs8PrivateKey();
        AsymmetricAlgorithm detached = key is ECDsa ? ECDsa.Create() : RSA.Create();
        detached.ImportPkcs8PrivateKey(pkcs8, out _);
        CryptographicOperations.ZeroMemory(pkcs8);
        key.Dispose();
        return (X509CertificateLoader.LoadCertificate(certificate.RawData), detached,
            collection.Where(c => !c.HasPrivateKey).ToList());
    }

    private sealed class Passphrase(string password) : IPasswordFinder
    {
        public char[] GetPassword() => password.ToCharArray();
    }
}
