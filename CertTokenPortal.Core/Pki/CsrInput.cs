using System.Text;
using System.Text.RegularExpressions;

namespace CertTokenPortal.Core.Pki;

/// <summary>
/// Turns the forms a CSR arrives in (PEM, PEM without its header lines or line breaks, bare base64, raw DER) into DER.
/// Clients and privacyIDEA-era scripts mangle PEM in many ways; normalising here keeps the parser itself strict.
/// </summary>
internal static partial class CsrInput
{
    /// <summary>The DER bytes, or null when the text holds no base64 at all.</summary>
    public static byte[]? FromText(string text)
    {
        var body = PemArmour().Replace(text, "");
        var compact = new StringBuilder(body.Length);
        foreach (var c in body)
        {
            if (!char.IsWhiteSpace(c))
            {
                compact.Append(c);
            }
        }
        if (compact.Length == 0)
        {
            return null;
        }
        // URL-safe base64 and missing padding appear when a CSR went through a URL or a JSON field.
        compact.Replace('-', '+').Replace('_', '/');
        while (compact.Length % 4 != 0)
        {
            compact.Append('=');
        }
        var buffer = new byte[compact.Length / 4 * 3];
        return Convert.TryFromBase64String(compact.ToString(), buffer, out var written) ? buffer[..written] : null;
    }

    /// <summary>Raw DER is used as it is; anything else is read as the bytes of a text file.</summary>
    public static byte[]? FromBytes(ReadOnlySpan<byte> bytes)
    {
        // A DER SEQUENCE starts with 0x30; no PEM or base64 text does ('0' is 0x30 but a base64 CSR starts with 'MII').
        if (bytes.Length > 1 && bytes[0] == 0x30 && bytes[1] >= 0x80)
        {
            return bytes.ToArray();
        }
        return FromText(Encoding.ASCII.GetString(bytes));
    }

    // "-----BEGIN CERTIFICATE REQUEST-----", "-----BEGIN NEW CERTIFICATE REQUEST-----" and their END lines, wherever
    // they stand (a PEM whose line breaks were lost has them glued to the base64).
    [GeneratedRegex("-----(BEGIN|END)[A-Z0-9 ]*-----")]
    private static partial Regex PemArmour();
}
