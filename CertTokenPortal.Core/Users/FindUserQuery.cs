using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Users.Resolvers;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Users;

/// <summary>
/// One user by name and realm, for the user page (admins and helpdesk): a portal account (local, or the shadow of a
/// directory user who logged in or was enrolled for), else a user of the realm's directories who never did. It only
/// reads: nothing is recorded for a directory user until someone enrols for them.
/// </summary>
public sealed class FindUserQuery(
    IDbContextFactory<PortalDbContext> dbFactory, RealmResolvers realms, UseCaseGuard guard, TimeProvider clock)
{
    /// <param name="actor">Who asks.</param>
    /// <param name="userName">The user's login name.</param>
    /// <param name="realm">Their realm; null or empty for the default realm's directories (a portal account is found in any realm).</param>
    /// <param name="ct">Cancels it.</param>
    public Task<Result<UserSummary>> ExecuteAsync(Actor actor, string userName, string? realm, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ViewUsers, UserErrors.NotAllowedToLookUp, refusal: null, () => FindAsync(userName.Trim(), realm?.Trim(), ct), ct);

    private async Task<Result<UserSummary>> FindAsync(string userName, string? realm, CancellationToken ct)
    {
        if (userName.Length == 0 || userName.Length > InputLimits.MaxUserNameLength)
        {
            return UserErrors.NoSuchUser(userName);
        }
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // User names are unique over all portal accounts, shadows included.
            var normalized = userName.ToUpperInvariant();
            var account = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
            if (account is not null)
            {
                return string.IsNullOrEmpty(realm) || string.Equals(account.Realm, realm, StringComparison.OrdinalIgnoreCase)
                    ? UserAccounts.ToSummary(account, await RoleOfAsync(db, account.Id, ct), clock.GetUtcNow())
                            : UserErrors.NoSuchUserInRealm(userName, realm);
            }
        }
        var wanted = string.IsNullOrEmpty(realm) ? await realms.DefaultRealmAsync(ct) : realm;
        var (realmName, resolvers) = await realms.ResolversOfAsync(wanted, ct);
        foreach (var resolver in resolvers.Where(r => r.Name != ResolverKinds.LocalResolverName))
        {
            if (!(await resolver.FindByLoginNameAsync(userName, ct)).TryGetValue(out var found, out var unreachable))
            {
                return unreachable;
            }
            if (found is not null)
            {
                var role = await resolver.RoleOfAsync(found, ct);
                return new UserSummary("", found.UserName, found.Email, realmName, role.IsSuccess ? role.Value : PortalRoles.User,
                    false, null, 0, default)
                {
                    Source = resolver.Name,
                    DisplayName = found.DisplayName,
                };
            }
        }
        return string.IsNullOrEmpty(realm) ? UserErrors.NoSuchUser(userName) : UserErrors.NoSuchUserInRealm(userName, realm);
    }

    private static async Task<string> RoleOfAsync(PortalDbContext db, string userId, CancellationToken ct) =>
        await (from ur in db.UserRoles
               where ur.UserId == userId
               join r in db.Roles on ur.RoleId equals r.Id
               select r.Name).FirstOrDefaultAsync(ct) ?? PortalRoles.User;
}
