using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Pki;

/// <summary>The public key algorithms the portal knows.</summary>
public enum KeyAlgorithmKind
{
    Rsa,
    Ec,
}

/// <summary>
/// A key type and size for a key generated on the server: RSA 2048/3072/4096 or EC P-256/P-384.
/// Smaller or unknown requests are refused, never silently raised.
/// </summary>
public sealed record KeySpec(KeyAlgorithmKind Algorithm, int RsaBits, string? Curve)
{
    public static KeySpec Rsa(int bits) => new(KeyAlgorithmKind.Rsa, bits, null);
    public static KeySpec Ec(string curve) => new(KeyAlgorithmKind.Ec, 0, curve);

    public static IReadOnlyList<int> RsaSizes { get; } = [2048, 3072, 4096];
    public static IReadOnlyList<string> Curves { get; } = ["P-256", "P-384"];

    /// <summary>"RSA 2048", "EC P-384".</summary>
    public string Description => Algorithm == KeyAlgorithmKind.Rsa ? $"RSA {RsaBits}" : $"EC {Curve}";

    /// <summary>
    /// Reads the API parameters <c>keytype</c> (rsa or ec, default rsa), <c>keysize</c> (default 2048) and
    /// <c>curve</c> (P-256 or P-384, also secp256r1/prime256v1/secp384r1).
    /// </summary>
    public static Result<KeySpec> Parse(string? keyType, string? keySize, string? curve)
    {
        var type = string.IsNullOrWhiteSpace(keyType) ? "rsa" : keyType.Trim().ToLowerInvariant();
        switch (type)
        {
            case "rsa":
                if (string.IsNullOrWhiteSpace(keySize))
                {
                    return Rsa(2048);
                }
                if (!int.TryParse(keySize.Trim(), out var bits))
                {
                    return PortalError.Validation($"keysize '{keySize}' is not a number; use 2048, 3072 or 4096.");
                }
                if (bits < 2048)
                {
                    return PortalError.Validation($"An RSA key of {bits} bits is too weak; the minimum is 2048 bits.");
                }
                return RsaSizes.Contains(bits)
                    ? Rsa(bits)
                    : PortalError.Validation($"RSA keys of {bits} bits are not offered; use 2048, 3072 or 4096.");
            case "ec" or "ecc" or "ecdsa":
                var name = NormaliseCurve(curve);
                return name is not null
                    ? Ec(name)
                    : PortalError.Validation($"The curve '{curve}' is not offered; use P-256 or P-384.");
            default:
                return PortalError.Validation($"keytype '{keyType}' is not known; use rsa or ec.");
        }
    }

    private static string? NormaliseCurve(string? curve) => curve?.Trim().ToLowerInvariant() switch
    {
        null or "" or "p-256" or "p256" or "secp256r1" or "prime256v1" => "P-256",
        "p-384" or "p384" or "secp384r1" => "P-384",
        _ => null,
    };
}
