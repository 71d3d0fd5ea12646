using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Pki;

/// <summary>
/// Reads and checks PKCS#10 requests: PEM, PEM without header lines or line breaks, base64 DER and raw DER; verifies
/// the signature; refuses weak keys, unknown curves, SHA-1/MD5 signatures, empty subjects and inputs over 64 KiB,
/// each with its own message.
/// </summary>
/// <remarks>
/// The rules are checked on the outer ASN.1 structure first (cheap, and it lets each refusal say exactly what is
/// wrong); the signature is then verified once over the CertificationRequestInfo bytes exactly as sent.
/// .NET rather than BouncyCastle: BouncyCastle's PKCS#10 parser validates RSA moduli with Miller-Rabin rounds on every
/// parse (25-50 ms per request), which would cap enrolment throughput for no gain in safety.
/// </remarks>
public sealed class CsrParser
{
    /// <summary>The largest CSR input accepted.</summary>
    public const int MaxInputBytes = 64 * 1024;

    /// <summary>The smallest RSA modulus accepted, in bits.</summary>
    public const int MinRsaBits = 2048;

    /// <summary>Parses a CSR given as text (PEM, bare base64).</summary>
    public Result<ParsedCsr> Parse(string input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return PortalError.Validation("The certificate request is empty.");
        }
        // Counted in UTF-16 code units first so that a huge string is refused before any copy is made.
        if (input.Length > MaxInputBytes || System.Text.Encoding.UTF8.GetByteCount(input) > MaxInputBytes)
        {
            return TooLarge();
        }
        var der = CsrInput.FromText(input);
        return der is null ? NotACsr() : ParseDer(der);
    }

    /// <summary>Parses a CSR given as bytes (DER, or the bytes of a PEM/base64 text file).</summary>
    public Result<ParsedCsr> Parse(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return PortalError.Validation("The certificate request is empty.");
        }
        if (input.Length > MaxInputBytes)
        {
            return TooLarge();
        }
        var der = CsrInput.FromBytes(input);
        return der is null ? NotACsr() : ParseDer(der);
    }

    private static Result<ParsedCsr> ParseDer(byte[] der)
    {
        if (!TryReadOutline(der, out var outline))
        {
            return IsCertificate(der) ? PkiErrors.CertificateNotRequest : NotACsr();
        }

        if (SignatureAlgorithms.WeakName(outline.SignatureOid) is { } weak)
        {
            return PortalError.Validation($"The certificate request is signed with {weak}; SHA-1 and MD5 signatures are refused. Sign it with SHA-256 or stronger.");
        }
        var signatureName = SignatureAlgorithms.AcceptedName(outline.SignatureOid);
        if (signatureName is null)
        {
            return PortalError.Validation($"The signature algorithm {outline.SignatureOid} of the certificate request is not supported; use RSA (PKCS#1 v1.5) or ECDSA with SHA-256, SHA-384 or SHA-512.");
        }

        var key = CheckKey(outline);
        if (!key.TryGetValue(out var keyFacts, out var keyError))
        {
            return keyError;
        }

        var subject = new X500DistinguishedName(outline.Subject.Span);
        if (string.IsNullOrWhiteSpace(subject.Name))
        {
            return PortalError.Validation("The certificate request has an empty subject; it needs at least a common name (CN).");
        }

        if (!SignatureVerifies(outline))
        {
            return PortalError.Validation("The signature of the certificate request does not verify; the request was altered or not signed by its key.");
        }
        if (!CsrAttributes.TryReadExtensions(outline.Attributes, out var extensions))
        {
            return PortalError.Validation("The certificate request is malformed: its extension request cannot be read.");
        }

        // Built from the verified parts rather than by CertificateRequest.LoadSigningRequest, which refuses legal
        // requests that real devices send (a YubiKey writes an extension request with an empty extension list).
        var request = new CertificateRequest(subject, PublicKey.CreateFromSubjectPublicKeyInfo(outline.SubjectPublicKeyInfo.Span, out _),
            HashAlgorithmName.SHA256);
        foreach (var extension in extensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        IReadOnlyList<SubjectAltName> sans;
        try
        {
            sans = SubjectAltNames.Read(request.CertificateExtensions);
        }
        catch (CryptographicException)
        {
            return PortalError.Validation("The subject alternative names of the certificate request are not well-formed.");
        }
        if (InputLimits.CheckSubjectAltNameCount(sans.Count) is { } tooMany)
        {
            return tooMany;
        }

        return new ParsedCsr
        {
            Der = der,
            Request = request,
            Subject = subject,
            SubjectText = subject.Name,
            KeyAlgorithm = keyFacts.Algorithm,
            KeySize = keyFacts.Bits,
            Curve = keyFacts.Curve,
            SignatureAlgorithm = signatureName,
            SubjectAltNames = sans,
        };
    }

    /// <summary>Verifies the signature over the request's own bytes of CertificationRequestInfo, as they were sent.</summary>
    private static bool SignatureVerifies(CsrOutline outline)
    {
        var hash = SignatureAlgorithms.HashOf(outline.SignatureOid);
        try
        {
            switch (outline.KeyOid)
            {
                case CurveNames.RsaEncryptionOid:
                    using (var rsa = RSA.Create())
                    {
                        rsa.ImportSubjectPublicKeyInfo(outline.SubjectPublicKeyInfo.Span, out _);
                        return SignatureAlgorithms.IsRsa(outline.SignatureOid)
                               && rsa.VerifyData(outline.SignedBytes.Span, outline.Signature, hash, RSASignaturePadding.Pkcs1);
                    }
                case CurveNames.EcPublicKeyOid:
                    using (var ec = ECDsa.Create())
                    {
                        ec.ImportSubjectPublicKeyInfo(outline.SubjectPublicKeyInfo.Span, out _);
                        return !SignatureAlgorithms.IsRsa(outline.SignatureOid)
                               && ec.VerifyData(outline.SignedBytes.Span, outline.Signature, hash, DSASignatureFormat.Rfc3279DerSequence);
                    }
                default:
                    return false;
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static Result<(KeyAlgorithmKind Algorithm, int Bits, string? Curve)> CheckKey(CsrOutline outline)
    {
        switch (outline.KeyOid)
        {
            case CurveNames.RsaEncryptionOid:
                var bits = RsaModulusBits(outline.PublicKey);
                if (bits is null)
                {
                    return PortalError.Validation("The RSA public key of the certificate request is malformed.");
                }
                if (bits < MinRsaBits)
                {
                    return PortalError.Validation($"The RSA key of the certificate request has {bits} bits; at least {MinRsaBits} bits are required.");
                }
                return (KeyAlgorithmKind.Rsa, bits.Value, null);
            case CurveNames.EcPublicKeyOid:
                if (outline.CurveOid is null)
                {
                    return PortalError.Validation("The EC key of the certificate request does not name its curve; use P-256, P-384 or P-521.");
                }
                if (CurveNames.Accept(outline.CurveOid) is not { } curve)
                {
                    return PortalError.Validation($"The EC curve {CurveNames.Describe(outline.CurveOid)} of the certificate request is not accepted; use P-256, P-384 or P-521.");
                }
                return (KeyAlgorithmKind.Ec, curve.Bits, curve.Name);
            default:
                return PortalError.Validation($"The key algorithm {outline.KeyOid} of the certificate request is not supported; use RSA or EC (P-256, P-384, P-521).");
        }
    }

    private static int? RsaModulusBits(byte[] rsaPublicKey)
    {
        try
        {
            var sequence = new AsnReader(rsaPublicKey, AsnEncodingRules.DER).ReadSequence();
            var modulus = sequence.ReadIntegerBytes().Span;
            var value = new BigInteger(modulus, isUnsigned: true, isBigEndian: true);
            return value.IsZero ? null : (int)value.GetBitLength();
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    /// <summary>The fields of a PKCS#10 request that the checks need, read without verifying anything.</summary>
    private sealed record CsrOutline(
        ReadOnlyMemory<byte> SignedBytes, ReadOnlyMemory<byte> Subject, ReadOnlyMemory<byte> SubjectPublicKeyInfo, string KeyOid,
        string? CurveOid, byte[] PublicKey, ReadOnlyMemory<byte>? Attributes, string SignatureOid, byte[] Signature);

    /// <summary>
    /// Reads the outline with BER rules, a superset of DER, so that the legal encodings smart cards and HSMs produce
    /// (an explicit critical=FALSE, a long length form) are read; the signature check works on the bytes as sent.
    /// </summary>
    private static bool TryReadOutline(byte[] der, out CsrOutline outline)
    {
        outline = null!;
        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.BER);
            var request = reader.ReadSequence();
            if (reader.HasData)
            {
                return false; // trailing bytes: not one CSR
            }
            var signedBytes = request.PeekEncodedValue();
            var info = request.ReadSequence();
            info.ReadInteger(); // version
            var subject = info.ReadEncodedValue();
            var spkiBytes = info.PeekEncodedValue();
            var spki = info.ReadSequence();
            var keyAlgorithm = spki.ReadSequence();
            var keyOid = keyAlgorithm.ReadObjectIdentifier();
            string? curveOid = null;
            if (keyAlgorithm.HasData && keyAlgorithm.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                curveOid = keyAlgorithm.ReadObjectIdentifier();
            }
            var publicKey = spki.ReadBitString(out _);
            ReadOnlyMemory<byte>? attributes = null;
            if (info.HasData && info.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                attributes = info.ReadEncodedValue();
            }
            if (info.HasData)
            {
                return false;
            }
            var signatureAlgorithm = request.ReadSequence();
            var signatureOid = signatureAlgorithm.ReadObjectIdentifier();
            var signature = request.ReadBitString(out _);
            outline = new CsrOutline(signedBytes, subject, spkiBytes, keyOid, curveOid, publicKey, attributes, signatureOid, signature);
            return !request.HasData;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    // A certificate's outer shape: SEQUENCE { SEQUENCE { [0] version, INTEGER serial, ... }, SEQUENCE, BIT STRING }.
    // A request's inner SEQUENCE starts with a bare INTEGER, so the explicit [0] tells the two apart.
    private static bool IsCertificate(byte[] der)
    {
        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            var certificate = reader.ReadSequence();
            var toBeSigned = certificate.ReadSequence();
            if (!toBeSigned.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                return false;
            }
            toBeSigned.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
            toBeSigned.ReadInteger();
            certificate.ReadSequence();
            certificate.ReadBitString(out _);
            return !certificate.HasData;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    private static PortalError NotACsr() =>
        PortalError.Validation("The input is not a PKCS#10 certificate request (expected PEM, base64 or DER).");

    private static PortalError TooLarge() =>
        PortalError.Validation($"The certificate request is larger than {MaxInputBytes / 1024} KiB; no real request is that big.");
}
