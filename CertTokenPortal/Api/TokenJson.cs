using System.Globalization;
using CertTokenPortal.Core.Tokens;

namespace CertTokenPortal.Api;

/// <summary>A token in the API's JSON shape (privacyIDEA's names). Never holds a key, PIN or PKCS#12 password.</summary>
public static class TokenJson
{
    public static Dictionary<string, object?> From(TokenView t) => new()
    {
        ["serial"] = t.Serial,
        ["tokentype"] = t.TokenType,
        ["description"] = t.Description,
        ["username"] = t.UserName,
        ["user_realm"] = t.Realm,
        ["active"] = t.Active,
        ["revoked"] = t.Revoked,
        ["locked"] = t.Locked,
        ["rollout_state"] = t.RolloutState.ToName(),
        ["info"] = new Dictionary<string, object?>
        {
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
            ["pkcs12_stored"] = t.HasPkcs12,
            ["failure"] = t.FailureMessage,
            ["attestation"] = t.Attestation,
            ["revocation_reason"] = t.RevocationReason,
            ["revoked_at"] = Iso(t.RevokedAt),
            ["upload_trust"] = t.UploadTrust,
            ["revocation_note"] = t.RevocationNote,
            ["created"] = Iso(t.CreatedAt),
            ["created_by"] = t.CreatedBy,
        },
    };

    public static string? Iso(DateTime? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
