namespace CertTokenPortal.Core.Pki;

/// <summary>The signature algorithms of CSRs and certificates by OID, and which of them the portal accepts.</summary>
internal static class SignatureAlgorithms
{
    private static readonly Dictionary<string, string> Accepted = new()
    {
        ["1.2.840.113549.1.1.11"] = "sha256WithRSAEncryption",
        ["1.2.840.113549.1.1.12"] = "sha384WithRSAEncryption",
        ["1.2.840.113549.1.1.13"] = "sha512WithRSAEncryption",
        ["1.2.840.10045.4.3.2"] = "ecdsa-with-SHA256",
        ["1.2.840.10045.4.3.3"] = "ecdsa-with-SHA384",
        ["1.2.840.10045.4.3.4"] = "ecdsa-with-SHA512",
    };

    private static readonly Dictionary<string, string> Weak = new()
    {
        ["1.2.840.113549.1.1.2"] = "md2WithRSAEncryption",
        ["1.2.840.113549.1.1.4"] = "md5WithRSAEncryption",
        ["1.2.840.113549.1.1.5"] = "sha1WithRSAEncryption",
        ["1.3.14.3.2.29"] = "sha1WithRSAEncryption",
        ["1.2.840.10045.4.1"] = "ecdsa-with-SHA1",
        ["1.2.840.10040.4.3"] = "dsa-with-SHA1",
    };

    public static string? AcceptedName(string oid) => Accepted.GetValueOrDefault(oid);

    public static string? WeakName(string oid) => Weak.GetValueOrDefault(oid);

    /// <summary>The hash of an accepted signature algorithm.</summary>
    public static System.Security.Cryptography.HashAlgorithmName HashOf(string oid) => oid switch
    {
        "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" => System.Security.Cryptography.HashAlgorithmName.SHA384,
        "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" => System.Security.Cryptography.HashAlgorithmName.SHA512,
        _ => System.Security.Cryptography.HashAlgorithmName.SHA256,
    };

    /// <summary>Whether an accepted signature algorithm is RSA (PKCS#1 v1.5) rather than ECDSA.</summary>
    public static bool IsRsa(string oid) => oid.StartsWith("1.2.840.113549.1.1.", StringComparison.Ordinal);
}
