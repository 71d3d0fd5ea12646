using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Pki;

/// <summary>
/// The fields of an X.509 certificate as people read them: subject, SANs, issuer, serial, validity, key, usages and
/// fingerprint. Pages show these instead of parsing certificates themselves; one reader serves the token page, the
/// enrolment result and the preview of an uploaded certificate.
/// </summary>
public sealed record CertificateDetails
{
    /// <summary>The largest certificate input accepted (the same bound as the enrolment's certificate upload).</summary>
    public const int MaxInputBytes = 64 * 1024;

    public required string Subject { get; init; }
    public required string Issuer { get; init; }
    /// <summary>The X.509 serial number, upper-case hex without separators (as tokens store it).</summary>
    public required string SerialNumber { get; init; }
    public required DateTime NotBefore { get; init; }
    public required DateTime NotAfter { get; init; }
    /// <summary>"RSA 2048", "EC P-256".</summary>
    public required string KeyDescription { get; init; }
    public required string SignatureAlgorithm { get; init; }
    public required IReadOnlyList<SubjectAltName> SubjectAltNames { get; init; }
    /// <summary>RFC 5280 key usage names; empty when the certificate has no key usage extension.</summary>
    public required IReadOnlyList<string> KeyUsages { get; init; }
    /// <summary>Extended key usage names ("clientAuth") or dotted OIDs for unnamed ones.</summary>
    public required IReadOnlyList<string> ExtendedKeyUsages { get; init; }
    /// <summary>SHA-256 over the DER certificate, as colon-separated upper-case hex pairs.</summary>
    public required string Sha256Fingerprint { get; init; }
    public required bool IsCertificateAuthority { get; init; }
    /// <summary>The certificate in PEM, whatever form it was read from.</summary>
    public required string Pem { get; init; }

    /// <summary>Subject and issuer are the same name (compared as encoded, not as text): a root, or a self-signed certificate.</summary>
    public required bool IsSelfIssued { get; init; }

    /// <summary>Reads the fields of a certificate that is already known to be well-formed (e.g. a token's stored PEM).</summary>
    public static CertificateDetails Of(X509Certificate2 certificate)
    {
        var extensions = certificate.Extensions;
        var keyUsage = extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        var extendedKeyUsage = extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        var basicConstraints = extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        IReadOnlyList<SubjectAltName> sans;
        try
        {
            sans = Pki.SubjectAltNames.Read(extensions.Cast<X509Extension>());
        }
        catch (CryptographicException)
        {
            sans = [new SubjectAltName("?", "the subject alternative names are not well-formed")];
        }

        return new CertificateDetails
        {
            Subject = certificate.Subject,
            Issuer = certificate.Issuer,
            SerialNumber = certificate.SerialNumber,
            NotBefore = certificate.NotBefore.ToUniversalTime(),
            NotAfter = certificate.NotAfter.ToUniversalTime(),
            KeyDescription = DescribeKey(certificate),
            SignatureAlgorithm = SignatureAlgorithms.AcceptedName(certificate.SignatureAlgorithm.Value ?? "")
                ?? SignatureAlgorithms.WeakName(certificate.SignatureAlgorithm.Value ?? "")
                ?? certificate.SignatureAlgorithm.FriendlyName ?? certificate.SignatureAlgorithm.Value ?? "unknown",
            SubjectAltNames = sans,
            KeyUsages = keyUsage is null ? [] : CertificateVocabulary.KeyUsageNamesOf(keyUsage.KeyUsages),
            ExtendedKeyUsages = extendedKeyUsage is null
                ? []
                : extendedKeyUsage.EnhancedKeyUsages.Cast<Oid>().Select(o => CertificateVocabulary.ExtendedKeyUsageNameOf(o.Value ?? "")).ToList(),
            Sha256Fingerprint = Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2)
                .Select(pair => new string(pair)).Aggregate((a, b) => a + ":" + b),
            IsCertificateAuthority = basicConstraints?.CertificateAuthority == true,
            IsSelfIssued = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData),
            Pem = certificate.ExportCertificatePem(),
        };
    }

    /// <summary>Reads a stored PEM certificate.</summary>
    public static CertificateDetails OfPem(string pem)
    {
        using var certificate = X509Certificate2.CreateFromPem(pem);
        return Of(certificate);
    }

    /// <summary>Reads a certificate someone pasted: PEM or base64 DER. A bad input is a validation error that says why.</summary>
    public static Result<CertificateDetails> Read(string input)
    {
        if (!Load(input).TryGetValue(out var certificate, out var error))
        {
            return error;
        }
        using (certificate)
        {
            try
            {
                return Of(certificate);
            }
            catch (CryptographicException)
            {
                // Found by fuzzing: a certificate that parses but whose public key does not decode.
                return PortalError.Validation("The certificate's public key cannot be read; it is damaged or of a kind the portal does not know.");
            }
        }
    }

    /// <summary>
    /// The one reader of a pasted certificate (PEM or base64 DER), for callers that keep the certificate itself (the
    /// certificate upload of an enrolment); the caller disposes it. <see cref="Read(string)"/> is this plus <see cref="Of"/>.
    /// </summary>
    public static Result<X509Certificate2> Load(string input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return PortalError.Validation("The certificate is empty.");
        }
        if (input.Length > MaxInputBytes)
        {
            return TooLarge();
        }
        var text = input.Trim();
        try
        {
            return text.Contains("-----BEGIN", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return Unreadable();
        }
    }

    /// <summary>Reads a certificate file: DER, or the bytes of a PEM/base64 text file.</summary>
    public static Result<CertificateDetails> Read(ReadOnlySpan<byte> file)
    {
        if (file.IsEmpty)
        {
            return PortalError.Validation("The certificate file is empty.");
        }
        if (file.Length > MaxInputBytes)
        {
            return TooLarge();
        }
        // A DER SEQUENCE starts with 0x30 and a long length; no PEM or base64 text does.
        if (file.Length > 1 && file[0] == 0x30 && file[1] >= 0x80)
        {
            try
            {
                using var certificate = X509CertificateLoader.LoadCertificate(file);
                return Of(certificate);
            }
            catch (CryptographicException)
            {
                return Unreadable();
            }
        }
        return Read(Encoding.ASCII.GetString(file));
    }

    /// <summary>A short description of a certificate's public key: "RSA 2048", "EC P-256".</summary>
    public static string DescribeKey(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            return $"RSA {rsa.KeySize}";
        }
        using var ec = certificate.GetECDsaPublicKey();
        if (ec is not null)
        {
            var oid = ec.ExportParameters(false).Curve.Oid.Value ?? "";
            return $"EC {(CurveNames.Accept(oid) is { } curve ? curve.Name : CurveNames.Describe(oid))}";
        }
        return certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value ?? "unknown";
    }

    private static PortalError TooLarge() =>
        PortalError.Validation($"The certificate is larger than {MaxInputBytes / 1024} KiB; give a single certificate.");

    private static PortalError Unreadable() =>
        PortalError.Validation("The certificate cannot be read: give one X.509 certificate in PEM (-----BEGIN CERTIFICATE-----), base64 or DER.");
}
