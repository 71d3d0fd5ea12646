using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Listing;

namespace CertTokenPortal.Api;

/// <summary>Reads <c>GET /token/</c>'s parameters into a <see cref="TokenQuery"/>, refusing values it cannot understand.</summary>
internal static class TokenQueryReader
{
    public static Result<TokenQuery> Read(ApiParameters p)
    {
        if (!p.TryInt("page", 1, out var page) || page < 1)
        {
            return PortalError.Validation($"page '{p["page"]}' is not a page number (1, 2, ...).");
        }
        if (!p.TryInt("pagesize", TokenQuery.DefaultPageSize, out var pageSize) || pageSize < 1 || pageSize > TokenQuery.MaxPageSize)
        {
            return PortalError.Validation($"pagesize '{p["pagesize"]}' must be a number from 1 to {TokenQuery.MaxPageSize}.");
        }
        if (!TokenSortNames.TryParse(p["sortby"], out var sortBy))
        {
            return PortalError.Validation($"sortby '{p["sortby"]}' is not a column; use one of: {string.Join(", ", TokenSortNames.All)}.");
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

        return new TokenQuery
        {
            Serial = p["serial"],
            UserName = p["user"],
            Realm = p["realm"],
            Type = p["type"],
            RolloutState = state,
            Active = p.Bool("active"),
            Revoked = p.Bool("revoked"),
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

}
