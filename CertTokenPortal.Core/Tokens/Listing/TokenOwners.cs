using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Listing;

/// <summary>
/// Adds the owner's account id and resolver to a page of tokens with one query for the whole page, so that the token
/// dict carries privacyIDEA's <c>user_id</c> and <c>resolver</c> without a join on every listed row.
/// </summary>
public static class TokenOwners
{
    /// <summary>The resolver name of the portal's own accounts.</summary>
    public const string LocalResolver = "local";

    public static async Task<List<TokenView>> AttachAsync(PortalDbContext db, IReadOnlyList<TokenView> tokens, CancellationToken ct)
    {
        var ids = tokens.Where(t => t.UserName.Length > 0 && t.OwnerId is not null).Select(t => t.OwnerId!).Distinct().ToList();
        if (ids.Count == 0)
        {
            return tokens.ToList();
        }
        // By the owner's account id, which the token records: a directory user's resolver is their shadow's.
        var resolvers = await db.Users.AsNoTracking()
            .Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.Resolver })
            .ToDictionaryAsync(a => a.Id, a => a.Resolver ?? LocalResolver, ct);
        return tokens.Select(t => t.OwnerId is { } id && resolvers.TryGetValue(id, out var resolver)
            ? t with { UserId = id, Resolver = resolver }
            : t).ToList();
    }
}
