using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Core.Pki;

/// <summary>The checks of an attestation, in the order they run.</summary>
public enum AttestationCheck
{
    /// <summary>The attestation is a readable PEM certificate (optionally followed by intermediates).</summary>
    Readable,
    /// <summary>The attestation certificate holds the CSR's public key.</summary>
    PublicKey,
    /// <summary>Every certificate on the path is within its validity period.</summary>
    Validity,
    /// <summary>The certificates chain, each signature verifying, up to a trusted attestation root.</summary>
    Chain,
}

/// <summary>The outcome of an attestation check: passed, or which check failed and why.</summary>
public sealed record AttestationResult(bool Passed, AttestationCheck? FailedCheck, string Message)
{
    public static AttestationResult Pass(string message) => new(true, null, message);
    public static AttestationResult Fail(AttestationCheck check, string message) => new(false, check, message);
}

/// <summary>
/// Verifies that an attestation certificate (e.g. a PIV or TPM key attestation) vouches for the key of a CSR: it holds
/// the CSR's public key and chains to one of the trusted attestation roots. The signature walk uses BouncyCastle
/// rather than <see cref="X509Chain"/>: device attestation intermediates (YubiKey's slot-F9 certificates) are not
/// marked as CAs, so a standard path validation would refuse every genuine attestation.
/// </summary>
public sealed class AttestationVerifier(TimeProvider clock)
{
    private const int MaxPathLength = 8;

    /// <param name="csr">The checked CSR whose key is attested.</param>
    /// <param name="attestationPem">The attestation certificate, optionally followed by intermediate certificates.</param>
    /// <param name="trustedRoots">The certificates of the trusted chains (roots and the intermediates uploaded with them); an attestation passes once one of them signs a certificate on its path.</param>
    public AttestationResult Verify(ParsedCsr csr, string attestationPem, IReadOnlyCollection<X509Certificate2> trustedRoots)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(attestationPem ?? "");
        }
        catch (CryptographicException)
        {
            return AttestationResult.Fail(AttestationCheck.Readable, "The attestation is not a PEM certificate.");
        }
        if (certificates.Count == 0)
        {
            return AttestationResult.Fail(AttestationCheck.Readable, "The attestation holds no certificate.");
        }

        var attestation = certificates[0];
        if (!attestation.PublicKey.ExportSubjectPublicKeyInfo().AsSpan()
                .SequenceEqual(csr.Request.PublicKey.ExportSubjectPublicKeyInfo()))
        {
            return AttestationResult.Fail(AttestationCheck.PublicKey, "The attestation certificate does not hold the key of the certificate request.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var intermediates = certificates.Skip(1).ToList();
        var current = attestation;
        var path = new List<X509Certificate2>();
        for (var depth = 0; depth < MaxPathLength; depth++)
        {
            if (now < current.NotBefore.ToUniversalTime() || now > current.NotAfter.ToUniversalTime())
            {
                return AttestationResult.Fail(AttestationCheck.Validity, $"The attestation certificate '{current.Subject}' is not valid now ({current.NotBefore:u} to {current.NotAfter:u}).");
            }
            var root = trustedRoots.FirstOrDefault(r => r.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData) && SignedBy(current, r));
            path.Add(current);
            if (root is not null)
            {
                // A trusted chain's intermediate signed it: record the rest of the trusted path up to its root.
                for (var anchor = root; anchor is not null && path.Count <= MaxPathLength; anchor = IssuerWithin(anchor, trustedRoots))
                {
                    path.Add(anchor);
                }
                return AttestationResult.Pass($"The key is attested by '{attestation.Subject}'{YubiKeyAttestation.Describe(attestation)}; chain: " +
                                              string.Join(" < ", path.Select(c => $"'{c.Subject}'")) + ".");
            }
            var issuer = intermediates.FirstOrDefault(i => i.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData));
            if (issuer is null)
            {
                return AttestationResult.Fail(AttestationCheck.Chain, $"The attestation does not chain to a trusted attestation root: no trusted issuer '{current.Issuer}' for '{current.Subject}'.");
            }
            if (!SignedBy(current, issuer))
            {
                return AttestationResult.Fail(AttestationCheck.Chain, $"The signature on '{current.Subject}' does not verify with the key of '{issuer.Subject}'.");
            }
            intermediates.Remove(issuer);
            current = issuer;
        }
        return AttestationResult.Fail(AttestationCheck.Chain, "The attestation chain is too long.");
    }

    private static X509Certificate2? IssuerWithin(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> trusted) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData)
            ? null
            : trusted.FirstOrDefault(t => t.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) && SignedBy(certificate, t));

    /// <summary>Whether <paramref name="issuer"/>'s key verifies the signature on <paramref name="certificate"/>.</summary>
    internal static bool SignedBy(X509Certificate2 certificate, X509Certificate2 issuer)
    {
        try
        {
            var subject = new Org.BouncyCastle.X509.X509Certificate(certificate.RawData);
            var issuerKey = new Org.BouncyCastle.X509.X509Certificate(issuer.RawData).GetPublicKey();
            return subject.IsSignatureValid(issuerKey);
        }
        catch (Exception e) when (e is Org.BouncyCastle.Security.SecurityUtilityException or Org.BouncyCastle.Security.InvalidKeyException
                                       or Org.BouncyCastle.Security.Certificates.CertificateException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
