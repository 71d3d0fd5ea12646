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
        var names = tokens.Where(t => t.UserName.Length > 0).Select(t => t.UserName).Distinct().ToList();
        if (names.Count == 0)
        {
            return tokens.ToList();
        }
        var accounts = await db.Users.AsNoTracking()
            .Where(u => names.Contains(u.UserName!))
            .Select(u => new { u.Id, u.UserName, u.Realm })
            .ToListAsync(ct);
        var ids = accounts.ToDictionary(a => (a.UserName!, a.Realm), a => a.Id);
        return tokens.Select(t => ids.TryGetValue((t.UserName, t.Realm), out var id)
            ? t with { UserId = id, Resolver = LocalResolver }
            : t).ToList();
    }
}
