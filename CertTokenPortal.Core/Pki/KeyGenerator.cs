using System.Security.Cryptography;

namespace CertTokenPortal.Core.Pki;

/// <summary>Generates key pairs for server-side enrolment with the fastest correct generator available.</summary>
/// <remarks>
/// .NET's generators (OpenSSL underneath on Linux) rather than BouncyCastle's: RSA key generation is 10-30x faster
/// and the keys stay in native memory that is freed on dispose.
/// </remarks>
public sealed class KeyGenerator
{
    /// <summary>A new key pair of the given spec (an <see cref="RSA"/> or <see cref="ECDsa"/>); the caller disposes it.</summary>
    /// <exception cref="ArgumentException">The spec is not one of <see cref="KeySpec.RsaSizes"/> / <see cref="KeySpec.Curves"/>
    /// (callers get specs from <see cref="KeySpec.Parse"/>, which refuses the rest with a message).</exception>
    public AsymmetricAlgorithm Generate(KeySpec spec)
    {
        switch (spec.Algorithm)
        {
            case KeyAlgorithmKind.Rsa when KeySpec.RsaSizes.Contains(spec.RsaBits):
                var rsa = RSA.Create(spec.RsaBits);
                // RSA.Create(bits) only records the size; the key is made on first use. Make it now, so that the cost
                // falls here (where it is measured and expected) and not inside the first signature.
                _ = rsa.ExportParameters(includePrivateParameters: false);
                return rsa;
            case KeyAlgorithmKind.Ec when spec.Curve is not null && KeySpec.Curves.Contains(spec.Curve):
                return ECDsa.Create(CurveNames.ToCurve(spec.Curve));
            default:
                throw new ArgumentException($"Key spec {spec.Description} is not offered.", nameof(spec));
        }
    }

    /// <summary>A key for a CA: like <see cref="Generate"/>, but also RSA 4096 / EC P-521 are fine and RSA 2048 is not offered.</summary>
    internal static AsymmetricAlgorithm GenerateCaKey(KeySpec spec)
    {
        if (spec.Algorithm == KeyAlgorithmKind.Rsa)
        {
            var rsa = RSA.Create(spec.RsaBits);
            _ = rsa.ExportParameters(includePrivateParameters: false);
            return rsa;
        }
        return ECDsa.Create(CurveNames.ToCurve(spec.Curve!));
    }
}
