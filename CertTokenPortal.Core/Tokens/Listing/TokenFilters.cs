using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Listing;

/// <summary>Turns a <see cref="TokenQuery"/> into a database filter; shared by the list, the CSV export and the dashboard.</summary>
public static class TokenFilters
{
    public static IQueryable<CertificateToken> Apply(IQueryable<CertificateToken> tokens, Actor actor, TokenQuery query, DateTime now)
    {
        if (!actor.Allows(Permission.ViewAllTokens))
        {
            // privacyIDEA's rule: the role user sees own tokens only, whatever user/realm it asks for.
            tokens = tokens.Where(t => t.OwnerUserName == actor.UserName && t.OwnerRealm == actor.Realm);
        }
        else
        {
            if (!string.IsNullOrWhiteSpace(query.UserName))
            {
                tokens = tokens.Where(t => t.OwnerUserName == query.UserName.Trim());
            }
            if (!string.IsNullOrWhiteSpace(query.Realm))
            {
                tokens = tokens.Where(t => t.OwnerRealm == query.Realm.Trim());
            }
        }

        if (!string.IsNullOrWhiteSpace(query.Type) && !string.Equals(query.Type.Trim(), CertificateToken.TypeName, StringComparison.OrdinalIgnoreCase))
        {
            return tokens.Where(_ => false);
        }
        tokens = tokens.WhereMatches(t => t.Serial, query.Serial);
        if (query.RolloutState is { } state)
        {
            tokens = tokens.Where(t => t.RolloutState == state);
        }
        if (query.Active is { } active)
        {
            tokens = tokens.Where(t => t.Active == active);
        }
        if (query.Revoked is { } revoked)
        {
            tokens = tokens.Where(t => t.Revoked == revoked);
        }
        if (!string.IsNullOrWhiteSpace(query.Subject))
        {
            var subject = $"%{Wildcards.EscapeLike(query.Subject.Trim())}%";
            tokens = tokens.Where(t => t.Subject != null && EF.Functions.Like(t.Subject, subject, "\\"));
        }
        if (!string.IsNullOrWhiteSpace(query.CaName))
        {
            tokens = tokens.Where(t => t.CaName == query.CaName.Trim());
        }
        if (!string.IsNullOrWhiteSpace(query.TemplateName))
        {
            tokens = tokens.Where(t => t.TemplateName == query.TemplateName.Trim());
        }
        if (query.NotAfterFrom is { } from)
        {
            tokens = tokens.Where(t => t.NotAfter >= from);
        }
        if (query.NotAfterTo is { } to)
        {
            tokens = tokens.Where(t => t.NotAfter <= to);
        }
        if (query.ExpiresWithinDays is { } days)
        {
            var until = now.AddDays(days);
            tokens = tokens.Where(t => t.RolloutState == RolloutState.Enrolled && t.Active && !t.Revoked && t.NotAfter > now && t.NotAfter <= until);
        }
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = $"%{Wildcards.EscapeLike(query.Search.Trim())}%";
            tokens = tokens.Where(t =>
                EF.Functions.Like(t.Serial, term, "\\") ||
                EF.Functions.Like(t.OwnerUserName, term, "\\") ||
                (t.Subject != null && EF.Functions.Like(t.Subject, term, "\\")) ||
                EF.Functions.Like(t.Description, term, "\\"));
        }
        return tokens;
    }
}
