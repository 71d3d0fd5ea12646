using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Info;
using CertTokenPortal.Core.Tokens.Listing;

namespace CertTokenPortal.Api;

/// <summary>
/// Reads <c>GET /token/</c>'s parameters into a <see cref="TokenQuery"/>. Every parameter is applied or refused with a
/// 400 that names it: a clean-up script that filters on something the portal cannot apply must never get every token.
/// </summary>
internal static class TokenQueryReader
{
    /// <summary>The longest filter value; a comma list of serials may be longer.</summary>
    private const int MaxValueLength = 1024;
    private const int MaxSerialListLength = 64 * 1024;

    /// <summary>Every parameter <c>GET /token/</c> understands (privacyIDEA's, then the portal's own).</summary>
    internal static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "serial", "type", "type_list", "user", "realm", "tokenrealm", "userid", "resolver", "description", "assigned",
        "active", "revoked", "rollout_state", "infokey", "infovalue", "container_serial", "hidden_tokeninfo",
        "sortby", "sortdir", "page", "pagesize", "outform",
        "subject", "ca", "template", "q", "expires_within",
    };

    public static Result<TokenQuery> Read(ApiParameters p)
    {
        foreach (var name in p.Names)
        {
            if (!Known.Contains(name))
            {
                return PortalError.Validation($"Unknown parameter '{name}' for GET /token/; it is refused rather than ignored. Known: {string.Join(", ", Known)}.");
            }
            // An empty filter is refused, not read as "no filter"; only container_serial="" means something (no container).
            if (string.IsNullOrWhiteSpace(p[name]) && name != "container_serial")
            {
                return PortalError.Validation($"{name} is empty; give a value or leave the parameter out.");
            }
            var limit = name == "serial" ? MaxSerialListLength : MaxValueLength;
            if (p[name]!.Length > limit)
            {
                return PortalError.Validation($"{name} is longer than {limit} characters.");
            }
        }
        if (!p.TryInt("page", 1, out var page) || page < 1)
        {
            return PortalError.Validation($"page '{p["page"]}' is not a page number (1, 2, ...).");
        }
        if (!p.TryInt("pagesize", TokenQuery.DefaultPageSize, out var pageSize) || pageSize < 1)
        {
            return PortalError.Validation($"pagesize '{p["pagesize"]}' must be a whole number of 1 or more.");
        }
        // privacyIDEA sorts by serial when it does not know the column; so does the portal.
        if (!TokenSortNames.TryParse(p["sortby"], out var sortBy))
        {
            sortBy = TokenSortField.Serial;
        }
        if (!p.SortDescending(byDefault: false).TryGetValue(out var descending, out var sortDirError))
        {
            return sortDirError;
        }
        int? expiresWithin = null;
        if (!string.IsNullOrWhiteSpace(p["expires_within"]))
        {
            if (!int.TryParse(p["expires_within"], out var days) || days < 1 || days > TokenQuery.MaxExpiresWithinDays)
            {
                return PortalError.Validation($"expires_within '{p["expires_within"]}' must be a number of days from 1 to {TokenQuery.MaxExpiresWithinDays}.");
            }
            expiresWithin = days;
        }
        RolloutState? state = null;
        if (!string.IsNullOrWhiteSpace(p["rollout_state"]))
        {
            if (!RolloutStateNames.TryParse(p["rollout_state"], out var parsed))
            {
                return PortalError.Validation($"rollout_state '{p["rollout_state"]}' is not known; use enrolled, pending, denied or failed.");
            }
            state = parsed;
        }
        if (!p.StrictBool("assigned").TryGetValue(out var assigned, out var boolError)
            || !p.StrictBool("active").TryGetValue(out var active, out boolError)
            || !p.StrictBool("revoked").TryGetValue(out var revoked, out boolError))
        {
            return boolError;
        }
        if (!string.IsNullOrWhiteSpace(p["resolver"]))
        {
            return PortalError.Validation("resolver cannot be applied: tokens record their owner by user name and realm, not by resolver; filter with user and realm.");
        }
        if (!string.IsNullOrWhiteSpace(p["container_serial"]))
        {
            return PortalError.Validation("container_serial cannot be applied: this portal has no token containers, so no token is in one (send container_serial empty for tokens without a container).");
        }
        if (ReadInfoFilter(p) is { } infoError)
        {
            return infoError;
        }
        if (!string.IsNullOrEmpty(p["outform"]) && !string.Equals(p["outform"], "csv", StringComparison.OrdinalIgnoreCase))
        {
            return PortalError.Validation($"outform '{p["outform"]}' is not offered; use outform=csv or leave it out for JSON.");
        }
        if (HiddenInfo(p) is { } hidden && hidden.FirstOrDefault(k => !TokenInfoRules.PortalKeys.Contains(k) && !TokenInfoRules.IsWellFormedKey(k)) is { } badHidden)
        {
            return PortalError.Validation($"hidden_tokeninfo names '{badHidden}', which is not a token-info key (letters, digits, '.', '_' or '-').");
        }

        var (user, realm) = UserAndRealm(p["user"], p["realm"]);
        var typeList = p["type_list"]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new TokenQuery
        {
            Serial = p["serial"],
            UserName = user,
            Realm = realm,
            Type = p["type"],
            TypeList = typeList,
            Description = p["description"],
            TokenRealm = p["tokenrealm"],
            UserId = p["userid"],
            Assigned = assigned,
            InfoKey = p["infokey"],
            InfoValue = p["infovalue"],
            RolloutState = state,
            Active = active,
            Revoked = revoked,
            Subject = p["subject"],
            CaName = p["ca"],
            TemplateName = p["template"],
            Search = p["q"],
            ExpiresWithinDays = expiresWithin,
            Page = page,
            PageSize = pageSize,
            SortBy = sortBy,
            Descending = descending,
        };
    }

    /// <summary>The info keys to leave out of each token (privacyIDEA's <c>hidden_tokeninfo</c>), or null.</summary>
    public static IReadOnlyList<string>? HiddenInfo(ApiParameters p) =>
        p["hidden_tokeninfo"]?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } keys ? keys : null;

    private static PortalError? ReadInfoFilter(ApiParameters p)
    {
        var key = p["infokey"];
        var value = p["infovalue"];
        if (string.IsNullOrWhiteSpace(key) != string.IsNullOrWhiteSpace(value))
        {
            return PortalError.Validation(string.IsNullOrWhiteSpace(key)
                ? "infovalue needs infokey: name the token-info key to compare with."
                : "infokey needs infovalue: give the value to look for (* wildcards).");
        }
        if (string.IsNullOrWhiteSpace(key) || TokenInfoKeys.TryGetColumn(key, out _))
        {
            return null;
        }
        // Any other key is looked for among the entries admins set; the portal's keys without a column cannot be.
        if (TokenInfoRules.IsPortalKey(key))
        {
            return PortalError.Validation($"infokey '{key}' cannot be filtered; of the portal's own keys these can: {string.Join(", ", TokenInfoKeys.All)}.");
        }
        if (!TokenInfoRules.IsWellFormedKey(key))
        {
            return PortalError.Validation($"infokey '{key}' is not a token-info key (at most {InputLimits.MaxTokenInfoKeyLength} letters, digits, '.', '_' or '-').");
        }
        return null;
    }

    /// <summary>privacyIDEA's <c>user=name@realm</c>: without a <c>realm</c> parameter the part after the last @ is the realm.</summary>
    internal static (string? User, string? Realm) UserAndRealm(string? user, string? realm)
    {
        if (string.IsNullOrWhiteSpace(realm) && user?.LastIndexOf('@') is > 0 and var at && at < user.Length - 1)
        {
            return (user[..at], user[(at + 1)..]);
        }
        return (user, realm);
    }
}
