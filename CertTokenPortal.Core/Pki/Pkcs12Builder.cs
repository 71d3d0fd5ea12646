using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Pki;

/// <summary>
/// Builds PKCS#12 files: key, certificate and CA chain with a friendly name; PBES2 AES-256-CBC with PBKDF2-HMAC-SHA256
/// and an HMAC-SHA256 MAC, so that OpenSSL 3 (without -legacy), .NET, NSS and GnuTLS all open it.
/// </summary>
/// <remarks>
/// System.Security.Cryptography.Pkcs's builder rather than BouncyCastle's Pkcs12StoreBuilder (which writes RC2/3DES
/// bags that OpenSSL 3 refuses without -legacy) or X509Certificate2.ExportPkcs12 (which cannot set a friendly name
/// outside Windows).
/// </remarks>
public sealed class Pkcs12Builder
{
    private const string FriendlyNameOid = "1.2.840.113549.1.9.20";
    private readonly int _iterations;

    public Pkcs12Builder() : this(Options.Create(new Pkcs12Options()))
    {
    }

    public Pkcs12Builder(IOptions<Pkcs12Options> options) => _iterations = options.Value.Iterations;

    public byte[] Build(AsymmetricAlgorithm privateKey, X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain,
        string password, string friendlyName)
    {
        var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, _iterations);
        // The local key id ties the key to its certificate; the SHA-256 of the certificate is unique and stable.
        var localKeyId = new Pkcs9LocalKeyId(SHA256.HashData(certificate.RawData));
        var name = FriendlyName(friendlyName);

        var certificates = new Pkcs12SafeContents();
        var leaf = certificates.AddCertificate(certificate);
        leaf.Attributes.Add(localKeyId);
        leaf.Attributes.Add(name);
        foreach (var ca in chain)
        {
            certificates.AddCertificate(ca);
        }

        var keys = new Pkcs12SafeContents();
        var key = keys.AddShroudedKey(privateKey, password, pbe);
        key.Attributes.Add(localKeyId);
        key.Attributes.Add(name);

        var builder = new System.Security.Cryptography.Pkcs.Pkcs12Builder();
        builder.AddSafeContentsEncrypted(certificates, password, pbe);
        builder.AddSafeContentsUnencrypted(keys); // the key bag is itself PBES2-encrypted (shrouded)
        builder.SealWithMac(password, HashAlgorithmName.SHA256, _iterations);
        return builder.Encode();
    }

    private static AsnEncodedData FriendlyName(string friendlyName)
    {
        // friendlyName ::= BMPString (PKCS#9); there is no Pkcs9 class for it, so it is encoded here.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteCharacterString(UniversalTagNumber.BMPString, friendlyName);
        return new AsnEncodedData(FriendlyNameOid, writer.Encode());
    }
}
