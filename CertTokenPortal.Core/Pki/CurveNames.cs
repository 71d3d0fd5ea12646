using System.Security.Cryptography;

namespace CertTokenPortal.Core.Pki;

/// <summary>The named EC curves the portal knows, by OID, with their NIST names and field sizes.</summary>
internal static class CurveNames
{
    public const string EcPublicKeyOid = "1.2.840.10045.2.1";
    public const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    private static readonly Dictionary<string, (string Name, int Bits)> Accepted = new()
    {
        ["1.2.840.10045.3.1.7"] = ("P-256", 256),
        ["1.3.132.0.34"] = ("P-384", 384),
        ["1.3.132.0.35"] = ("P-521", 521),
    };

    private static readonly Dictionary<string, string> Known = new()
    {
        ["1.3.132.0.10"] = "secp256k1",
        ["1.3.132.0.33"] = "P-224 (secp224r1)",
        ["1.2.840.10045.3.1.1"] = "P-192 (prime192v1)",
        ["1.3.36.3.3.2.8.1.1.7"] = "brainpoolP256r1",
        ["1.3.36.3.3.2.8.1.1.11"] = "brainpoolP384r1",
    };

    public static (string Name, int Bits)? Accept(string oid) => Accepted.TryGetValue(oid, out var c) ? c : null;

    public static string Describe(string oid) => Known.GetValueOrDefault(oid, oid);

    public static ECCurve ToCurve(string name) => name switch
    {
        "P-256" => ECCurve.NamedCurves.nistP256,
        "P-384" => ECCurve.NamedCurves.nistP384,
        "P-521" => ECCurve.NamedCurves.nistP521,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown curve."),
    };

    /// <summary>The NIST name of the curve of an EC key, e.g. "P-384".</summary>
    public static string NameOf(ECDsa key) => key.KeySize switch
    {
        256 => "P-256",
        384 => "P-384",
        521 => "P-521",
        var bits => $"{bits}-bit curve",
    };

    /// <summary>The hash that matches an EC key's strength (FIPS 186 / RFC 5480): SHA-256, -384 or -512.</summary>
    public static HashAlgorithmName HashFor(ECDsa key) => key.KeySize switch
    {
        <= 256 => HashAlgorithmName.SHA256,
        <= 384 => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };
}
