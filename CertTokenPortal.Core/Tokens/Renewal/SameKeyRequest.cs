using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>
/// A same-key renewal as a request the CA can sign: the token's public key with the names of its certificate. The
/// portal never holds the private key of a CSR token (nor, unprotected, of a generated one), so nothing can sign a
/// new PKCS#10; the request is therefore unsigned (<see cref="ParsedCsr.Der"/> is empty) and only a CA that signs at
/// once takes it. The names pass the template's binding rules again, as a new request's would.
/// </summary>
public static class SameKeyRequest
{
    public const string SignatureAlgorithm = "none (same-key renewal)";

    /// <param name="certificatePem">The token's current certificate.</param>
    /// <param name="ownerName">The owner, the common name when the template names from the account.</param>
    /// <param name="namesFromOwner">The template builds the subject from the account: then only CN and email SANs are repeated.</param>
    public static ParsedCsr From(string certificatePem, string ownerName, bool namesFromOwner)
    {
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        var sans = SubjectAltNames.Read(certificate.Extensions);
        X500DistinguishedName subject;
        if (namesFromOwner)
        {
            var builder = new X500DistinguishedNameBuilder();
            builder.AddCommonName(ownerName);
            subject = builder.Build();
            sans = sans.Where(s => s.Kind == "email").ToList();
        }
        else
        {
            subject = certificate.SubjectName;
        }
        var publicKey = new PublicKey(certificate.PublicKey.Oid, certificate.PublicKey.EncodedParameters, certificate.PublicKey.EncodedKeyValue);
        var (algorithm, size, curve) = Describe(certificate);
        return new ParsedCsr
        {
            Der = [],
            Request = new CertificateRequest(subject, publicKey, HashAlgorithmName.SHA256),
            Subject = subject,
            SubjectText = subject.Name,
            KeyAlgorithm = algorithm,
            KeySize = size,
            Curve = curve,
            SignatureAlgorithm = SignatureAlgorithm,
            SubjectAltNames = sans,
        };
    }

    private static (KeyAlgorithmKind Algorithm, int Size, string? Curve) Describe(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            return (KeyAlgorithmKind.Rsa, rsa.KeySize, null);
        }
        using var ec = certificate.GetECDsaPublicKey() ?? throw new CryptographicException("The certificate holds neither an RSA nor an EC key.");
        return (KeyAlgorithmKind.Ec, ec.KeySize, CurveNames.NameOf(ec));
    }
}
