using System.Text;
using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Api;

/// <summary>
/// Decodes <c>application/x-www-form-urlencoded</c> text (a form body or a query string) strictly: a percent-encoded
/// sequence that is not valid UTF-8 is refused rather than replaced with U+FFFD, so a malformed request gets a 400.
/// </summary>
internal static class StrictFormDecoder
{
    /// <summary>UTF-8 that throws on invalid bytes instead of substituting them.</summary>
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryUtf8(ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = Utf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    /// <summary>Adds the pairs of <paramref name="encoded"/> to <paramref name="values"/> (a later name wins); an error names <paramref name="where"/>.</summary>
    public static PortalError? Decode(string encoded, Dictionary<string, string> values, string where)
    {
        foreach (var pair in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? "" : pair[(equals + 1)..];
            if (!TryUnescape(name, out var decodedName) || !TryUnescape(value, out var decodedValue))
            {
                return PortalError.Validation($"The {where} holds a percent-encoded sequence that is not valid UTF-8.");
            }
            if (decodedName.Length > 0)
            {
                values[decodedName] = decodedValue;
            }
        }
        return null;
    }

    private static bool TryUnescape(string text, out string decoded)
    {
        if (text.IndexOfAny(['%', '+']) < 0)
        {
            decoded = text;
            return true;
        }
        var bytes = new List<byte>(text.Length);
        Span<byte> scratch = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '%' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add((byte)Convert.ToInt32(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (char.IsAscii(c))
            {
                bytes.Add((byte)c);
            }
            else
            {
                // Raw non-ASCII characters (already decoded text) are kept as their UTF-8 bytes.
                var count = i + 1 < text.Length && char.IsSurrogatePair(c, text[i + 1])
                    ? Encoding.UTF8.GetBytes(text.AsSpan(i, 2), scratch)
                    : char.IsSurrogate(c) ? -1 : Encoding.UTF8.GetBytes(text.AsSpan(i, 1), scratch);
                if (count < 0)
                {
                    decoded = "";
                    return false;
                }
                if (char.IsHighSurrogate(c))
                {
                    i++;
                }
                bytes.AddRange(scratch[..count].ToArray());
            }
        }
        return TryUtf8(bytes.ToArray(), out decoded);
    }
}
