using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Core.Pki;

/// <summary>
/// Protects a PKCS#12 file with a new password: opens it with the current one, then builds it again from the same key,
/// certificate, chain and friendly name with <see cref="Pkcs12Builder"/> (so the new file is as strong and as widely
/// readable as a freshly issued one). The key exists in memory only for that moment.
/// </summary>
public sealed class Pkcs12PasswordChange(Pkcs12Builder builder)
{
    private const string FriendlyNameOid = "1.2.840.113549.1.9.20";

    /// <summary>The file protected by <paramref name="newPassword"/>, or null when <paramref name="currentPassword"/> does not open it.</summary>
    public byte[]? Change(byte[] pkcs12, string currentPassword, string newPassword)
    {
        Pkcs12Info info;
        try
        {
            info = Pkcs12Info.Decode(pkcs12, out _, skipCopy: true);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException("The stored PKCS#12 cannot be decoded.", e);
        }
        // The MAC is keyed with the password: a wrong password fails here, before any decryption is tried.
        if (info.IntegrityMode == Pkcs12IntegrityMode.Password && !info.VerifyMac(currentPassword))
        {
            return null;
        }

        AsymmetricAlgorithm? key = null;
        var friendlyName = "";
        var certificates = new List<X509Certificate2>();
        try
        {
            foreach (var contents in info.AuthenticatedSafe)
            {
                if (contents.ConfidentialityMode == Pkcs12ConfidentialityMode.Password)
                {
                    contents.Decrypt(currentPassword);
                }
                foreach (var bag in contents.GetBags())
                {
                    switch (bag)
                    {
                        case Pkcs12ShroudedKeyBag shrouded:
                            key = ImportKey(currentPassword, shrouded.EncryptedPkcs8PrivateKey);
                            friendlyName = FriendlyName(shrouded) ?? friendlyName;
                            break;
                        case Pkcs12CertBag certificate when certificate.IsX509Certificate:
                            certificates.Add(certificate.GetCertificate());
                            break;
                    }
                }
            }
            if (key is null)
            {
                throw new InvalidOperationException("The stored PKCS#12 holds no private key.");
            }
            var publicKey = PublicKeyOf(key);
            var leaf = certificates.FirstOrDefault(c => c.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(publicKey))
                       ?? throw new InvalidOperationException("The stored PKCS#12 holds no certificate for its key.");
            return builder.Build(key, leaf, certificates.Where(c => !ReferenceEquals(c, leaf)).ToList(), newPassword, friendlyName);
        }
        finally
        {
            key?.Dispose();
            certificates.ForEach(c => c.Dispose());
        }
    }

    private static AsymmetricAlgorithm ImportKey(string password, ReadOnlyMemory<byte> encryptedPkcs8)
    {
        var algorithm = Pkcs8PrivateKeyInfo.DecryptAndDecode(password, encryptedPkcs8, out _).AlgorithmId.Value;
        AsymmetricAlgorithm key = algorithm switch
        {
            "1.2.840.113549.1.1.1" => RSA.Create(),
            "1.2.840.10045.2.1" => ECDsa.Create(),
            _ => throw new InvalidOperationException($"The stored PKCS#12 holds a key of algorithm {algorithm}, which the portal does not generate."),
        };
        key.ImportEncryptedPkcs8PrivateKey(password, encryptedPkcs8.Span, out _);
        return key;
    }

    private static byte[] PublicKeyOf(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => rsa.ExportSubjectPublicKeyInfo(),
        ECDsa ec => ec.ExportSubjectPublicKeyInfo(),
        _ => throw new InvalidOperationException("Unexpected key type."),
    };

    private static string? FriendlyName(Pkcs12SafeBag bag)
    {
        var attribute = bag.Attributes.Cast<CryptographicAttributeObject>().FirstOrDefault(a => a.Oid.Value == FriendlyNameOid);
        if (attribute is not { Values.Count: > 0 })
        {
            return null;
        }
        return AsnDecoder.ReadCharacterString(attribute.Values[0].RawData, AsnEncodingRules.BER, UniversalTagNumber.BMPString, out _);
    }
}
