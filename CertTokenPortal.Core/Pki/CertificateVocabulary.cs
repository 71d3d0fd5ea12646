using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Pki;

/// <summary>
/// The RFC 5280 names of key usages and extended key usages that templates are written in ("digitalSignature",
/// "clientAuth"), and their meaning. Extended key usages may also be given as dotted OIDs.
/// </summary>
public static partial class CertificateVocabulary
{
    private static readonly Dictionary<string, X509KeyUsageFlags> KeyUsages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["digitalSignature"] = X509KeyUsageFlags.DigitalSignature,
        ["nonRepudiation"] = X509KeyUsageFlags.NonRepudiation,
        ["contentCommitment"] = X509KeyUsageFlags.NonRepudiation,
        ["keyEncipherment"] = X509KeyUsageFlags.KeyEncipherment,
        ["dataEncipherment"] = X509KeyUsageFlags.DataEncipherment,
        ["keyAgreement"] = X509KeyUsageFlags.KeyAgreement,
        ["keyCertSign"] = X509KeyUsageFlags.KeyCertSign,
        ["cRLSign"] = X509KeyUsageFlags.CrlSign,
        ["encipherOnly"] = X509KeyUsageFlags.EncipherOnly,
        ["decipherOnly"] = X509KeyUsageFlags.DecipherOnly,
    };

    private static readonly Dictionary<string, string> ExtendedKeyUsages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["serverAuth"] = "1.3.6.1.5.5.7.3.1",
        ["clientAuth"] = "1.3.6.1.5.5.7.3.2",
        ["codeSigning"] = "1.3.6.1.5.5.7.3.3",
        ["emailProtection"] = "1.3.6.1.5.5.7.3.4",
        ["timeStamping"] = "1.3.6.1.5.5.7.3.8",
        ["OCSPSigning"] = "1.3.6.1.5.5.7.3.9",
        ["ipsecIKE"] = "1.3.6.1.5.5.7.3.17",
        ["smartcardLogon"] = "1.3.6.1.4.1.311.20.2.2",
        ["anyExtendedKeyUsage"] = "2.5.29.37.0",
    };

    public static IReadOnlyCollection<string> KeyUsageNames => KeyUsages.Keys;
    public static IReadOnlyCollection<string> ExtendedKeyUsageNames => ExtendedKeyUsages.Keys;

    /// <summary>Splits a comma- or space-separated list.</summary>
    public static IReadOnlyList<string> SplitList(string? list) =>
        (list ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Key usage names in their canonical spelling, or a failure naming the unknown one.</summary>
    public static Result<IReadOnlyList<string>> NormaliseKeyUsages(IEnumerable<string> names)
    {
        var result = new List<string>();
        foreach (var name in names)
        {
            var canonical = KeyUsages.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (canonical is null)
            {
                return PortalError.Validation($"'{name}' is not a key usage. Use {string.Join(", ", KeyUsages.Keys)}.");
            }
            if (!result.Contains(canonical))
            {
                result.Add(canonical);
            }
        }
        return result;
    }

    /// <summary>Extended key usage names in canonical spelling (OIDs kept as OIDs), or a failure naming the unknown one.</summary>
    public static Result<IReadOnlyList<string>> NormaliseExtendedKeyUsages(IEnumerable<string> names)
    {
        var result = new List<string>();
        foreach (var name in names)
        {
            var canonical = ExtendedKeyUsages.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
                ?? (DottedOid().IsMatch(name) ? name : null);
            if (canonical is null)
            {
                return PortalError.Validation($"'{name}' is not an extended key usage. Use {string.Join(", ", ExtendedKeyUsages.Keys)} or a dotted OID.");
            }
            if (!result.Contains(canonical))
            {
                result.Add(canonical);
            }
        }
        return result;
    }

    /// <summary>The flags of stored (already checked) key usage names; unknown names are ignored.</summary>
    public static X509KeyUsageFlags ToKeyUsageFlags(IEnumerable<string> names) =>
        names.Aggregate(X509KeyUsageFlags.None, (flags, n) => flags | KeyUsages.GetValueOrDefault(n, X509KeyUsageFlags.None));

    /// <summary>The OIDs of stored (already checked) extended key usage names.</summary>
    public static IReadOnlyList<Oid> ToExtendedKeyUsageOids(IEnumerable<string> names) =>
        names.Select(n => new Oid(ExtendedKeyUsages.GetValueOrDefault(n, n))).ToList();

    /// <summary>The RFC 5280 names of the key usages set in <paramref name="flags"/>, in the order of the standard.</summary>
    public static IReadOnlyList<string> KeyUsageNamesOf(X509KeyUsageFlags flags) =>
        // contentCommitment is an alias of nonRepudiation; naming the bit once is enough.
        KeyUsages.Where(u => u.Key != "contentCommitment" && u.Value != X509KeyUsageFlags.None && flags.HasFlag(u.Value))
            .Select(u => u.Key).ToList();

    /// <summary>The name of an extended key usage OID ("clientAuth"), or the dotted OID when it has no name here.</summary>
    public static string ExtendedKeyUsageNameOf(string oid) =>
        ExtendedKeyUsages.FirstOrDefault(u => u.Value == oid).Key ?? oid;

    [GeneratedRegex(@"^[0-2](\.(0|[1-9][0-9]*)){2,}$")]
    private static partial Regex DottedOid();
}
