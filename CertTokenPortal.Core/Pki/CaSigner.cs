using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Core.Pki;

/// <summary>
/// A CA certificate with its private key, ready to sign certificates, CRLs and OCSP responses. Built once per CA key
/// and shared: .NET's OpenSSL-backed RSA/ECDsa objects make a fresh native context for every signature, so concurrent
/// signing with one key object is safe.
/// </summary>
public sealed class CaSigner
{
    public CaSigner(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chainAboveCa, AsymmetricAlgorithm key)
    {
        Certificate = certificate;
        ChainAboveCa = chainAboveCa;
        Key = key;
        (Generator, Hash) = SigningAlgorithms.For(key);
        KeyIdentifier = KeyIdentifiers.Of(certificate);
        AuthorityKeyIdentifier = X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(KeyIdentifier);
        _bouncyCastleKey = new Lazy<Org.BouncyCastle.Crypto.AsymmetricKeyParameter>(
            () => Org.BouncyCastle.Security.PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey()));
        _bouncyCastleCertificate = new Lazy<Org.BouncyCastle.X509.X509Certificate>(
            () => new Org.BouncyCastle.X509.X509Certificate(certificate.RawData));
    }

    private readonly Lazy<Org.BouncyCastle.Crypto.AsymmetricKeyParameter> _bouncyCastleKey;
    private readonly Lazy<Org.BouncyCastle.X509.X509Certificate> _bouncyCastleCertificate;

    /// <summary>The key in BouncyCastle's form, for what .NET cannot sign (OCSP responses); made on first use.</summary>
    internal Org.BouncyCastle.Crypto.AsymmetricKeyParameter BouncyCastleKey => _bouncyCastleKey.Value;

    internal Org.BouncyCastle.X509.X509Certificate BouncyCastleCertificate => _bouncyCastleCertificate.Value;

    public X509Certificate2 Certificate { get; }

    /// <summary>The certificates above the CA certificate, up to the root; empty for a root CA.</summary>
    public IReadOnlyList<X509Certificate2> ChainAboveCa { get; }

    public AsymmetricAlgorithm Key { get; }

    public X509SignatureGenerator Generator { get; }

    /// <summary>SHA-256 for RSA keys; for EC keys the hash that matches the curve (SHA-384 for P-384).</summary>
    public HashAlgorithmName Hash { get; }

    /// <summary>The CA's key identifier: its SKI, or the SHA-1 of its public key when the certificate has none.</summary>
    public byte[] KeyIdentifier { get; }

    /// <summary>The keyid-only AKI that certificates and CRLs issued by this CA carry.</summary>
    public X509AuthorityKeyIdentifierExtension AuthorityKeyIdentifier { get; }

    /// <summary>The CA certificate followed by the chain above it: what a relying party needs to build a path.</summary>
    public IReadOnlyList<X509Certificate2> FullChain => [Certificate, .. ChainAboveCa];
}

/// <summary>Key identifiers (RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits).</summary>
internal static class KeyIdentifiers
{
    public static byte[] Of(X509Certificate2 certificate)
    {
        var ski = certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault();
        return ski is not null
            ? ski.SubjectKeyIdentifierBytes.ToArray()
            : new X509SubjectKeyIdentifierExtension(certificate.PublicKey, false).SubjectKeyIdentifierBytes.ToArray();
    }
}

/// <summary>How a CA key signs: PKCS#1 v1.5 with SHA-256 for RSA (what every relying party accepts), ECDSA with the hash that matches the curve.</summary>
internal static class SigningAlgorithms
{
    public static (X509SignatureGenerator Generator, HashAlgorithmName Hash) For(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => (X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1), HashAlgorithmName.SHA256),
        ECDsa ec => (X509SignatureGenerator.CreateForECDsa(ec), CurveNames.HashFor(ec)),
        _ => throw new ArgumentException($"CA keys of type {key.GetType().Name} are not supported.", nameof(key)),
    };
}
