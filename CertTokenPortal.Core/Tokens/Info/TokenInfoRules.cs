using System.Text.RegularExpressions;
using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Tokens.Info;

/// <summary>
/// Which token-info keys an admin may set and what a value may hold. The portal's own keys describe the certificate
/// and its enrolment; a client that could overwrite them could make a token claim another CA or certificate, so
/// they are refused by name (in any letter case, so that "ca" cannot pose as "CA" either).
/// </summary>
public static partial class TokenInfoRules
{
    /// <summary>Every key the portal writes into a token's <c>info</c> itself, plus privacyIDEA's certificate-token keys.</summary>
    public static IReadOnlySet<string> PortalKeys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "tokenkind", "CA", "template", "certificate", "subject", "issuer", "cert_serial", "not_before", "not_after",
        "request", "requestId", "enrollment_mode", "key", "pkcs12", "pkcs12_stored", "pkcs12_password", "privatekey",
        "failure", "attestation", "attestation_chain", "yubikey_serial", "yubikey_slot", "revocation_reason", "revoked_at",
        "upload_trust", "revocation_note", "created", "created_by",
    };

    private static readonly HashSet<string> PortalKeysAnyCase = new(PortalKeys, StringComparer.OrdinalIgnoreCase);

    public static bool IsPortalKey(string key) => PortalKeysAnyCase.Contains(key);

    /// <summary>Whether <paramref name="key"/> has the shape of a token-info key (it may appear in a URL path).</summary>
    public static bool IsWellFormedKey(string? key) =>
        key is { Length: > 0 and <= InputLimits.MaxTokenInfoKeyLength } && KeyShape().IsMatch(key);

    /// <summary>A key an admin may set or delete: well formed and not one of the portal's own.</summary>
    public static PortalError? CheckSettableKey(string? key)
    {
        if (!IsWellFormedKey(key))
        {
            return TokenInfoErrors.BadKey(key);
        }
        return IsPortalKey(key!) ? TokenInfoErrors.PortalKey(key!) : null;
    }

    /// <summary>A value: not empty (DELETE removes a key), at most <see cref="InputLimits.MaxTokenInfoValueLength"/> characters of clean text.</summary>
    public static PortalError? CheckValue(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return TokenInfoErrors.EmptyValue;
        }
        if (value.Length > InputLimits.MaxTokenInfoValueLength)
        {
            return PortalError.Validation($"value may have at most {InputLimits.MaxTokenInfoValueLength} characters; this one has {value.Length}.");
        }
        return InputLimits.IsCleanText(value)
            ? null
            : PortalError.Validation("value holds a control character (such as NUL) or an unpaired surrogate; send printable text.");
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex KeyShape();
}
