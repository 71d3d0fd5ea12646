using System.Globalization;
using CertTokenPortal.Core.Tokens;

namespace CertTokenPortal.Api;

/// <summary>
/// A token in privacyIDEA's token dict shape: its top-level keys always, and an <c>info</c> of string values holding
/// only the keys that apply to this token. Never holds a PIN or PKCS#12 password; a private key only inside the
/// PIN-protected <c>pkcs12</c>, for callers who may download it.
/// </summary>
public static class TokenJson
{
    /// <summary>privacyIDEA's default for <c>maxfail</c>; a certificate token has no OTP counter to fail.</summary>
    private const int MaxFail = 10;

    public static Dictionary<string, object?> From(TokenView t) => From(t, null);

    public static Dictionary<string, object?> From(TokenView t, IReadOnlyCollection<string>? hiddenInfo)
    {
        var assigned = t.UserName.Length > 0;
        var info = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["tokenkind"] = "software",
            ["CA"] = t.CaName,
            ["template"] = t.TemplateName,
            ["certificate"] = t.CertificatePem,
            ["subject"] = t.Subject,
            ["issuer"] = t.Issuer,
            ["cert_serial"] = t.CertificateSerial,
            ["not_before"] = Iso(t.NotBefore),
            ["not_after"] = Iso(t.NotAfter),
            ["requestId"] = t.RequestId,
            ["enrollment_mode"] = t.EnrolmentMode,
            ["key"] = t.KeyDescription,
            ["pkcs12_stored"] = t.HasPkcs12 ? "True" : null,
            ["pkcs12"] = t.Pkcs12Base64,
            ["failure"] = t.FailureMessage,
            ["attestation"] = t.Attestation,
            ["revocation_reason"] = t.RevocationReason,
            ["revoked_at"] = Iso(t.RevokedAt),
            ["upload_trust"] = t.UploadTrust,
            ["revocation_note"] = t.RevocationNote,
            ["created"] = Iso(t.CreatedAt),
            ["created_by"] = t.CreatedBy,
        };
        // Keys admins set never collide with these: the portal's own keys cannot be set (TokenInfoRules).
        foreach (var (key, value) in t.ExtraInfo)
        {
            info.TryAdd(key, value);
        }
        foreach (var key in info.Where(e => e.Value is null || hiddenInfo?.Contains(e.Key) == true).Select(e => e.Key).ToList())
        {
            info.Remove(key);
        }

        return new Dictionary<string, object?>
        {
            ["id"] = t.Id,
            ["serial"] = t.Serial,
            ["tokentype"] = t.TokenType,
            ["description"] = t.Description,
            ["active"] = t.Active,
            ["revoked"] = t.Revoked,
            ["locked"] = t.Locked,
            ["rollout_state"] = t.RolloutState.ToName(),
            ["username"] = t.UserName,
            ["user_realm"] = assigned ? t.Realm : "",
            ["realms"] = t.Realm.Length > 0 ? new[] { t.Realm } : Array.Empty<string>(),
            ["resolver"] = assigned ? t.Resolver : "",
            ["user_id"] = assigned ? t.UserId ?? "" : "",
            ["count"] = 0,
            ["failcount"] = 0,
            ["maxfail"] = MaxFail,
            ["info"] = info,
        };
    }

    public static string? Iso(DateTime? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
