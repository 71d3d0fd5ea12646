namespace CertTokenPortal.Core.Common;

/// <summary>
/// The one place that states how much outside input the portal takes: lengths of free texts, sizes of lists and
/// which characters a text may hold. The API reader, the use cases and the pages all check against these numbers,
/// so a limit is changed here and nowhere else.
/// </summary>
public static class InputLimits
{
    /// <summary>A token description.</summary>
    public const int MaxDescriptionLength = 1024;

    /// <summary>Subject alternative names in one request (CSR) or certificate the portal is asked to sign.</summary>
    public const int MaxSubjectAltNames = 100;

    /// <summary>A token PIN / PKCS#12 passphrase: printable characters only (spaces allowed), at most this long.</summary>
    public const int MaxPinLength = 128;

    /// <summary>An account password (login, reset, change).</summary>
    public const int MaxPasswordLength = 256;

    /// <summary>A user name as typed at a login (longer ones cannot exist, see the user name rule).</summary>
    public const int MaxUserNameLength = 64;

    /// <summary>A short free text: a reason for a denial, a search term, a name.</summary>
    public const int MaxShortTextLength = 1024;

    /// <summary>How many parameters one API request may carry.</summary>
    public const int MaxParameters = 100;

    /// <summary>Any API parameter value that is not a document (see <see cref="DocumentParameters"/>): names, filters, options.</summary>
    public const int MaxParameterLength = 4096;

    /// <summary>The API parameters that carry documents (PEM, base64) and are bounded only by the request size and their parser.</summary>
    public static IReadOnlySet<string> DocumentParameters { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "request", "certificate", "cacert", "cakey", "pkcs12", "attestation",
    };

    /// <summary>A token-info key (privacyIDEA's <c>/token/info/&lt;serial&gt;/&lt;key&gt;</c>): letters, digits, '.', '_', '-'.</summary>
    public const int MaxTokenInfoKeyLength = 64;

    /// <summary>A token-info value.</summary>
    public const int MaxTokenInfoValueLength = 2048;

    /// <summary>How many info entries one token takes.</summary>
    public const int MaxTokenInfoEntries = 50;

    /// <summary>A parameter name.</summary>
    public const int MaxParameterNameLength = 128;

    /// <summary>
    /// Whether <paramref name="text"/> is well-formed text: no NUL or other control characters except tab, carriage
    /// return and line feed (PEM needs line breaks), and no lone UTF-16 surrogates.
    /// </summary>
    public static bool IsCleanText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }
                i++;
            }
            else if (char.IsLowSurrogate(c) || (char.IsControl(c) && c is not ('\t' or '\r' or '\n')))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether <paramref name="text"/> is clean and on one line (no line breaks or tabs either).</summary>
    public static bool IsCleanLine(string text) => IsCleanText(text) && text.IndexOfAny(['\t', '\r', '\n']) < 0;

    /// <summary>A free text of at most <paramref name="maxLength"/> characters on one line, named <paramref name="what"/> in the message.</summary>
    public static PortalError? CheckLine(string? text, int maxLength, string what)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (text.Length > maxLength)
        {
            return PortalError.Validation($"The {what} may have at most {maxLength} characters; this one has {text.Length}.");
        }
        return IsCleanLine(text)
            ? null
            : PortalError.Validation($"The {what} holds a control character or a line break; use printable characters on one line.");
    }

    /// <summary>A token description.</summary>
    public static PortalError? CheckDescription(string? description) =>
        CheckLine(description, MaxDescriptionLength, "description");

    /// <summary>A token PIN or PKCS#12 passphrase: at most <see cref="MaxPinLength"/> printable characters.</summary>
    public static PortalError? CheckPin(string? pin)
    {
        if (string.IsNullOrEmpty(pin))
        {
            return null;
        }
        if (pin.Length > MaxPinLength)
        {
            return PortalError.Validation($"The PIN may have at most {MaxPinLength} characters.");
        }
        return IsCleanLine(pin)
            ? null
            : PortalError.Validation("The PIN holds a control character (such as NUL, tab or a line break); use printable characters only.");
    }

    /// <summary>An account password: at most <see cref="MaxPasswordLength"/> printable characters.</summary>
    public static PortalError? CheckPassword(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return null;
        }
        if (password.Length > MaxPasswordLength)
        {
            return PortalError.Validation($"A password may have at most {MaxPasswordLength} characters.");
        }
        return IsCleanLine(password)
            ? null
            : PortalError.Validation("The password holds a control character; use printable characters only.");
    }

    /// <summary>The number of subject alternative names of one request.</summary>
    public static PortalError? CheckSubjectAltNameCount(int count) =>
        count <= MaxSubjectAltNames
            ? null
            : PortalError.Validation($"The request carries {count} subject alternative names; at most {MaxSubjectAltNames} are accepted.");
}
