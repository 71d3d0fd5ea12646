using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Users.Resolvers;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Users;

/// <summary>Users matching an owner search, and the directories that could not be asked (the others still answer).</summary>
public sealed record OwnerSearch(IReadOnlyList<UserSummary> Users, IReadOnlyList<PortalError> Problems);

/// <summary>
/// The wizard's owner search (search as you type): portal accounts and the users of every configured realm's
/// directories, by name, display name or email. A directory user who never logged in appears with their realm and
/// resolver; enrolling for them records their shadow account.
/// </summary>
public sealed class FindOwnersQuery(ListUsersQuery accounts, IDbContextFactory<PortalDbContext> dbFactory, RealmResolvers realms, TimeProvider clock)
{
    public async Task<Result<OwnerSearch>> ExecuteAsync(Actor actor, string? term, int max, CancellationToken ct = default)
    {
        if (!(await accounts.ExecuteAsync(actor, new UserQuery(Search: term, PageSize: max), ct)).TryGetValue(out var local, out var error))
        {
            return error;
        }
        var users = local.Users.ToList();
        var problems = new List<PortalError>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var configured = await db.Realms.AsNoTracking().OrderBy(r => r.Name).Select(r => r.Name).ToListAsync(ct);
        foreach (var realm in configured)
        {
            var (realmName, resolvers) = await realms.ResolversOfAsync(realm, ct);
            foreach (var resolver in resolvers.Where(r => r.Name != ResolverKinds.LocalResolverName))
            {
                if (users.Count >= max)
                {
                    break;
                }
                if (!(await resolver.SearchAsync(term, 1, max - users.Count, ct)).TryGetValue(out var page, out var unreachable))
                {
                    problems.Add(unreachable);
                    continue;
                }
                users.AddRange(page.Users
                    .Where(u => !users.Any(known => string.Equals(known.UserName, u.UserName, StringComparison.OrdinalIgnoreCase) && known.Realm == realmName))
                    .Select(u => new UserSummary("", u.UserName, u.Email, realmName, PortalRoles.User, false, null, 0, clock.GetUtcNow().UtcDateTime)
                    {
                        Source = resolver.Name,
                        DisplayName = u.DisplayName,
                        GivenName = u.GivenName,
                        Surname = u.Surname,
                    }));
            }
        }
        return new OwnerSearch(users, problems);
    }
}
