namespace CertTokenPortal.Core.Tokens.Listing;

/// <summary>The API's <c>sortby</c> names (privacyIDEA's where it has them) for <see cref="TokenSortField"/>.</summary>
public static class TokenSortNames
{
    private static readonly Dictionary<string, TokenSortField> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["serial"] = TokenSortField.Serial,
        ["username"] = TokenSortField.UserName,
        ["user"] = TokenSortField.UserName,
        ["realm"] = TokenSortField.Realm,
        ["user_realm"] = TokenSortField.Realm,
        ["description"] = TokenSortField.Description,
        ["rollout_state"] = TokenSortField.RolloutState,
        ["subject"] = TokenSortField.Subject,
        ["ca"] = TokenSortField.CaName,
        ["template"] = TokenSortField.TemplateName,
        ["not_before"] = TokenSortField.NotBefore,
        ["not_after"] = TokenSortField.NotAfter,
        ["created"] = TokenSortField.CreatedAt,
        ["active"] = TokenSortField.Active,
        ["revoked"] = TokenSortField.Revoked,
    };

    public static IEnumerable<string> All => Names.Keys;

    public static bool TryParse(string? name, out TokenSortField field)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            field = TokenSortField.Serial;
            return true;
        }
        return Names.TryGetValue(name.Trim(), out field);
    }
}
