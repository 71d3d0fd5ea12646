using System.Linq.Expressions;

namespace CertTokenPortal.Core.Tokens.Listing;

/// <summary>
/// The token-info keys a certificate token carries (privacyIDEA's names where it has them), each bound to the column
/// that holds it, so that <c>infokey</c>/<c>infovalue</c> filter in SQL and an unknown key is refused, not ignored.
/// </summary>
public static class TokenInfoKeys
{
    private static readonly Dictionary<string, Expression<Func<CertificateToken, string?>>> Columns = new(StringComparer.Ordinal)
    {
        ["CA"] = t => t.CaName,
        ["template"] = t => t.TemplateName,
        ["requestId"] = t => t.RequestId,
        ["certificate"] = t => t.CertificatePem,
        ["subject"] = t => t.Subject,
        ["issuer"] = t => t.Issuer,
        ["cert_serial"] = t => t.CertificateSerial,
        ["enrollment_mode"] = t => t.EnrolmentMode,
        ["key"] = t => t.KeyDescription,
        ["attestation"] = t => t.AttestationInfo,
        ["revocation_reason"] = t => t.RevocationReason,
        ["created_by"] = t => t.CreatedBy,
    };

    /// <summary>The keys that can be filtered on.</summary>
    public static IEnumerable<string> All => Columns.Keys;

    public static bool TryGetColumn(string key, out Expression<Func<CertificateToken, string?>> column) =>
        Columns.TryGetValue(key, out column!);
}
