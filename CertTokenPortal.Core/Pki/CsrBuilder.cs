using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Core.Pki;

/// <summary>Builds the PKCS#10 request for a key generated on the server, so that it goes through the same CA path as an uploaded CSR.</summary>
public sealed class CsrBuilder
{
    /// <summary>A signed CSR for <paramref name="key"/> with <paramref name="subject"/>, already parsed.</summary>
    /// <remarks>
    /// Built with .NET's <see cref="CertificateRequest"/>, which always writes the (empty) attributes field that
    /// PKCS#10 requires. The key is fresh from <see cref="KeyGenerator"/>, so the request is trusted as built and not
    /// parsed and verified again.
    /// </remarks>
    /// <exception cref="ArgumentException">The key is neither RSA nor EC, or the subject is empty.</exception>
    public ParsedCsr Build(AsymmetricAlgorithm key, X500DistinguishedName subject)
    {
        if (string.IsNullOrWhiteSpace(subject.Name))
        {
            throw new ArgumentException("A CSR needs a subject.", nameof(subject));
        }
        var (request, algorithm, size, curve, signature) = key switch
        {
            RSA rsa => (new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                KeyAlgorithmKind.Rsa, rsa.KeySize, (string?)null, "sha256WithRSAEncryption"),
            ECDsa ec => (new CertificateRequest(subject, ec, CurveNames.HashFor(ec)),
                KeyAlgorithmKind.Ec, ec.KeySize, CurveNames.NameOf(ec), $"ecdsa-with-{CurveNames.HashFor(ec).Name}"),
            _ => throw new ArgumentException($"Keys of type {key.GetType().Name} are not supported.", nameof(key)),
        };
        var der = request.CreateSigningRequest();
        return new ParsedCsr
        {
            Der = der,
            Request = request,
            Subject = subject,
            SubjectText = subject.Name,
            KeyAlgorithm = algorithm,
            KeySize = size,
            Curve = curve,
            SignatureAlgorithm = signature,
            SubjectAltNames = [],
        };
    }
}
