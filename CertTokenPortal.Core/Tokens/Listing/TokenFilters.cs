using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Listing;

/// <summary>
/// Turns a <see cref="TokenQuery"/> into a database filter; shared by the list and the CSV export. The role rule comes
/// first and every filter only narrows it, so no filter value (list, wildcard, user id) can widen what a caller sees.
/// </summary>
public static class TokenFilters
{
    public static IQueryable<CertificateToken> Apply(IQueryable<CertificateToken> tokens, IQueryable<PortalUser> users,
        IQueryable<Info.TokenInfoEntry> infoEntries, Actor actor, TokenQuery query, DateTime now)
    {
        if (!actor.Allows(Permission.ViewAllTokens))
        {
            // privacyIDEA's rule: the role user sees own tokens only, whatever user/realm it asks for; tokens without
            // an owner are for admins and helpdesk.
            tokens = actor.AccountId is { } accountId
                ? tokens.Where(t => t.OwnerId == accountId && t.OwnerUserName != "")
                : tokens.Where(t => t.OwnerUserName == actor.UserName && t.OwnerRealm == actor.Realm && t.OwnerUserName != "");
        }
        else
        {
            if (!string.IsNullOrWhiteSpace(query.UserName))
            {
                tokens = tokens.Where(t => t.OwnerUserName == query.UserName.Trim());
            }
            if (!string.IsNullOrWhiteSpace(query.Realm))
            {
                // privacyIDEA's realm is the owner's realm: a token without owner is in no user's realm.
                tokens = tokens.Where(t => t.OwnerRealm == query.Realm.Trim() && t.OwnerUserName != "");
            }
        }

        if (!TypeMatches(query))
        {
            return tokens.Where(_ => false);
        }
        tokens = tokens.WhereMatchesAny(t => t.Serial, query.Serial);
        tokens = tokens.WhereMatches(t => t.Description, query.Description);
        tokens = tokens.WhereMatchesAny(t => t.OwnerRealm, query.TokenRealm);
        if (!string.IsNullOrWhiteSpace(query.UserId))
        {
            var owners = users.WhereMatches(u => u.Id, query.UserId);
            tokens = tokens.Where(t => t.OwnerUserName != "" && owners.Any(u => u.UserName == t.OwnerUserName && u.Realm == t.OwnerRealm));
        }
        if (query.Assigned is { } assigned)
        {
            tokens = assigned ? tokens.Where(t => t.OwnerUserName != "") : tokens.Where(t => t.OwnerUserName == "");
        }
        if (query.InfoKey is { } infoKey)
        {
            // The portal's own keys live in the token's columns; every other key in the info entries admins set.
            if (TokenInfoKeys.TryGetColumn(infoKey, out var infoColumn))
            {
                tokens = tokens.WhereMatches(infoColumn, query.InfoValue);
            }
            else
            {
                var matching = infoEntries.Where(e => e.Key == infoKey).WhereMatches(e => e.Value, query.InfoValue);
                tokens = tokens.Where(t => matching.Any(e => e.TokenId == t.Id));
            }
        }
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

    /// <summary>Every token here is a certificate token, so the type filters decide all or nothing, in memory.</summary>
    private static bool TypeMatches(TokenQuery query)
    {
        if (!string.IsNullOrWhiteSpace(query.Type) && !Wildcards.Matches(CertificateToken.TypeName, query.Type))
        {
            return false;
        }
        return query.TypeList is not { Count: > 0 } list
               || list.Any(type => string.Equals(type.Trim(), CertificateToken.TypeName, StringComparison.OrdinalIgnoreCase));
    }
}
