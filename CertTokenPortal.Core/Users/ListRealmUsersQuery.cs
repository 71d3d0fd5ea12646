using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Users.Resolvers;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Users;

/// <summary>A user of a realm as a resolver found them, with the resolver (their source).</summary>
public sealed record RealmUser(string Realm, string Resolver, DirectoryUser User)
{
    /// <summary>How many tokens the user owns in the portal.</summary>
    public int Tokens { get; init; }
}

/// <summary>One page of realm users, and whether any resolver holds more.</summary>
public sealed record RealmUserPage(IReadOnlyList<RealmUser> Users, bool HasMore);

/// <summary>
/// Lists the users of a realm from its resolvers, in priority order (<c>GET /user/?realm=</c>, the wizard's owner
/// search, the Users page): each resolver is asked for the same page and the answers are joined. The realm-aware
/// lookup other pages use to find a user's source.
/// </summary>
public sealed class ListRealmUsersQuery(RealmResolvers realms, IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<Result<RealmUserPage>> ExecuteAsync(Actor actor, string? realm, string? term, int page, int pageSize, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ViewUsers))
        {
            return PortalError.Forbidden("Only admins and helpdesk staff may search users.");
        }
        var wanted = string.IsNullOrWhiteSpace(realm) ? await realms.DefaultRealmAsync(ct) : realm.Trim();
        if (!await realms.ExistsAsync(wanted, ct))
        {
            return Resolvers.ResolverErrors.RealmNotFound(wanted);
        }
        var (realmName, resolvers) = await realms.ResolversOfAsync(wanted, ct);
        var users = new List<RealmUser>();
        var more = false;
        foreach (var resolver in resolvers)
        {
            if (!(await resolver.SearchAsync(term, page, pageSize, ct)).TryGetValue(out var found, out var error))
            {
                return error;
            }
            users.AddRange(found.Users.Select(u => new RealmUser(realmName, resolver.Name, u)));
            more |= found.HasMore;
        }
        var names = users.Select(u => u.User.UserName).Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = await db.Tokens.AsNoTracking().Where(t => t.OwnerRealm == realmName && names.Contains(t.OwnerUserName))
            .GroupBy(t => t.OwnerUserName).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return new RealmUserPage(users.Select(u => u with { Tokens = counts.GetValueOrDefault(u.User.UserName) }).ToList(), more);
    }
}
