using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Core.Pki;

/// <summary>A subject alternative name: its kind ("DNS", "email", "UPN", "IP", "URI") and value.</summary>
public sealed record SubjectAltName(string Kind, string Value)
{
    public override string ToString() => $"{Kind}:{Value}";
}

/// <summary>
/// A PKCS#10 request that passed every check (well-formed, signature valid, key strong enough, subject present).
/// Parsed once; everything later works from this object.
/// </summary>
public sealed record ParsedCsr
{
    /// <summary>The DER encoding of the request.</summary>
    public required byte[] Der { get; init; }
    /// <summary>The request as .NET loaded it (subject, public key, extensions), for signing.</summary>
    public required CertificateRequest Request { get; init; }
    public required X500DistinguishedName Subject { get; init; }
    /// <summary>The subject in RFC 4514-like text, e.g. "CN=alice, O=Example".</summary>
    public required string SubjectText { get; init; }
    public required KeyAlgorithmKind KeyAlgorithm { get; init; }
    /// <summary>RSA modulus bits, or the EC field size (256, 384, 521).</summary>
    public required int KeySize { get; init; }
    /// <summary>"P-256", "P-384" or "P-521" for EC keys; null for RSA.</summary>
    public string? Curve { get; init; }
    /// <summary>e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA384".</summary>
    public required string SignatureAlgorithm { get; init; }
    public required IReadOnlyList<SubjectAltName> SubjectAltNames { get; init; }

    public string KeyDescription => KeyAlgorithm == KeyAlgorithmKind.Rsa ? $"RSA {KeySize}" : $"EC {Curve}";
}
