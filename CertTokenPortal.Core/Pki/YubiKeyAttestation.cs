using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace CertTokenPortal.Core.Pki;

/// <summary>
/// What a YubiKey PIV attestation certificate says about the device: its serial number (Yubico's extension
/// 1.3.6.1.4.1.41482.3.7) and the PIV slot, named in the subject "YubiKey PIV Attestation 9a".
/// </summary>
public static partial class YubiKeyAttestation
{
    private const string SerialOid = "1.3.6.1.4.1.41482.3.7";

    /// <summary>" (YubiKey serial 12345678, slot 9a)", or "" for other attestations.</summary>
    public static string Describe(X509Certificate2 attestation)
    {
        var slot = SlotPattern().Match(attestation.Subject);
        var serial = Serial(attestation);
        if (!slot.Success && serial is null)
        {
            return "";
        }
        var parts = new List<string>();
        if (serial is not null)
        {
            parts.Add($"YubiKey serial {serial}");
        }
        if (slot.Success)
        {
            parts.Add($"slot {slot.Groups[1].Value.ToLowerInvariant()}");
        }
        return $" ({string.Join(", ", parts)})";
    }

    private static string? Serial(X509Certificate2 attestation)
    {
        var extension = attestation.Extensions[SerialOid];
        if (extension is null)
        {
            return null;
        }
        try
        {
            return new AsnReader(extension.RawData, AsnEncodingRules.BER).ReadInteger().ToString(CultureInfo.InvariantCulture);
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"YubiKey PIV Attestation ([0-9A-Fa-f]{2})\b")]
    private static partial Regex SlotPattern();
}
