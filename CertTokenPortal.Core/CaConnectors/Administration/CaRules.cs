using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>The rules CA and template settings must meet, each refusal with its own message.</summary>
internal static partial class CaRules
{
    public static PortalError? CheckName(string? name, string what = "CA") =>
        name is not null && SafeName().IsMatch(name)
            ? null
            : PortalError.Validation($"A {what} name needs 1 to 64 characters: letters, digits, '.', '_' or '-' (it appears in URLs).").About("name");

    public static PortalError? CheckCrlDays(int validityDays, int overlapDays)
    {
        if (validityDays is < 1 or > 365)
        {
            return PortalError.Validation($"crl_validity_days must be between 1 and 365, not {validityDays}.").About("crl_validity_days");
        }
        if (overlapDays < 0 || overlapDays >= validityDays)
        {
            return PortalError.Validation($"crl_overlap_days must be at least 0 and less than crl_validity_days ({validityDays}), not {overlapDays}.").About("crl_overlap_days");
        }
        return null;
    }

    public static PortalError? CheckValidityDays(int days, string what) =>
        days is >= 1 and <= 36500 ? null : PortalError.Validation($"{what} must be between 1 and 36500 days, not {days}.").About(what);

    /// <summary>The key of a new CA: RSA 3072/4096 or EC P-256/P-384 (RSA 2048 is too short-lived for a CA).</summary>
    public static Result<KeySpec> ParseCaKey(string? keyType, string? keySize, string? curve)
    {
        var isRsa = string.IsNullOrWhiteSpace(keyType) || keyType.Trim().Equals("rsa", StringComparison.OrdinalIgnoreCase);
        var spec = KeySpec.Parse(keyType, isRsa && string.IsNullOrWhiteSpace(keySize) ? "3072" : keySize, curve);
        if (!spec.TryGetValue(out var value, out var error))
        {
            return error.About("keytype");
        }
        return value.Algorithm == KeyAlgorithmKind.Rsa && value.RsaBits < 3072
            ? PortalError.Validation($"A CA key of RSA {value.RsaBits} bits is not offered; use RSA 3072 or 4096, or EC P-256 or P-384.").About("keytype")
            : value;
    }

    public static Result<X500DistinguishedName> ParseSubject(string? subject)
    {
        if (string.IsNullOrWhiteSpace(subject))
        {
            return PortalError.Validation("The CA needs a subject, e.g. 'CN=Example Root CA,O=Example'.").About("subject");
        }
        try
        {
            var name = new X500DistinguishedName(subject.Trim());
            return string.IsNullOrWhiteSpace(name.Name)
                ? PortalError.Validation("The CA needs a subject, e.g. 'CN=Example Root CA,O=Example'.").About("subject")
                : name;
        }
        catch (CryptographicException)
        {
            return PortalError.Validation($"'{subject}' is not a distinguished name; write it like 'CN=Example Root CA,O=Example'.").About("subject");
        }
    }

    /// <summary>Checks that a certificate may act as a CA: basicConstraints CA:TRUE and, if key usage is present, keyCertSign.</summary>
    public static PortalError? CheckIsCa(X509Certificate2 certificate)
    {
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (constraints is null || !constraints.CertificateAuthority)
        {
            return PortalError.Validation($"The certificate '{certificate.Subject}' is not a CA certificate (basicConstraints CA:TRUE is missing).");
        }
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (usage is not null && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            return PortalError.Validation($"The certificate '{certificate.Subject}' may not sign certificates (key usage lacks keyCertSign).");
        }
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SafeName();
}
