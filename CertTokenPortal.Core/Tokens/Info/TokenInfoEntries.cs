using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Info;

/// <summary>
/// Adds the token-info entries set by admins to a page of tokens with one query for the whole page, so that the token
/// dict's <c>info</c> shows them without a join on every listed row.
/// </summary>
public static class TokenInfoEntries
{
    public static async Task<List<TokenView>> AttachAsync(PortalDbContext db, IReadOnlyList<TokenView> tokens, CancellationToken ct)
    {
        if (tokens.Count == 0)
        {
            return tokens.ToList();
        }
        var ids = tokens.Select(t => t.Id).ToList();
        var entries = await db.Set<TokenInfoEntry>().AsNoTracking()
            .Where(e => ids.Contains(e.TokenId))
            .Select(e => new { e.TokenId, e.Key, e.Value })
            .ToListAsync(ct);
        if (entries.Count == 0)
        {
            return tokens.ToList();
        }
        var byToken = entries.GroupBy(e => e.TokenId)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, string>)g.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal));
        return tokens.Select(t => byToken.TryGetValue(t.Id, out var info) ? t with { ExtraInfo = info } : t).ToList();
    }
}
