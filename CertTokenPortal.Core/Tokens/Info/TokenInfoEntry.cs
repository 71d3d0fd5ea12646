namespace CertTokenPortal.Core.Tokens.Info;

/// <summary>
/// One token-info entry set through privacyIDEA's <c>/token/info/&lt;serial&gt;/&lt;key&gt;</c>: a key and a string
/// value on a token. The keys the portal derives from its own columns (certificate, CA, requestId, ...) are never
/// stored here; see <see cref="TokenInfoRules.PortalKeys"/>.
/// </summary>
public class TokenInfoEntry
{
    public long Id { get; set; }
    public long TokenId { get; set; }
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
}
