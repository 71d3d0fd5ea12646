using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Users;

/// <summary>Lists accounts in user-name order, filtered and paged in the database (admins and helpdesk).</summary>
public sealed class ListUsersQuery(UserAccounts accounts, UseCaseGuard guard, TimeProvider clock)
{
    public Task<Result<UserPage>> ExecuteAsync(Actor actor, UserQuery query, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ViewUsers, UserErrors.NotAllowedToList, refusal: null,
            () => accounts.RunAsync(async (_, db) => Result<UserPage>.Success(await ListAsync(db, query, ct))), ct);

    private async Task<UserPage> ListAsync(Persistence.PortalDbContext db, UserQuery query, CancellationToken ct)
    {
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToUpperInvariant();
            // Name and email are compared in their normalized (upper-case) columns; the realm has none, so it is
            // upper-cased in the query. Contains becomes instr(), so '%' and '_' in a search are taken literally.
            users = users.Where(u => u.NormalizedUserName!.Contains(term) ||
                                     (u.NormalizedEmail != null && u.NormalizedEmail.Contains(term)) ||
                                     u.Realm.ToUpper().Contains(term));
        }
        if (!string.IsNullOrWhiteSpace(query.Realm))
        {
            users = users.Where(u => u.Realm == query.Realm);
        }

        var withRoles = from u in users
                        join ur in db.UserRoles on u.Id equals ur.UserId into urs
                        from ur in urs.DefaultIfEmpty()
                        join r in db.Roles on ur.RoleId equals r.Id into rs
                        from r in rs.DefaultIfEmpty()
                        select new { User = u, Role = r != null ? r.Name : null };
        if (!string.IsNullOrWhiteSpace(query.Role))
        {
            withRoles = withRoles.Where(x => x.Role == query.Role);
        }

        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        var page = Math.Max(query.Page, 1);
        var total = await withRoles.CountAsync(ct);
        var rows = await withRoles.OrderBy(x => x.User.NormalizedUserName)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);

        var now = clock.GetUtcNow();
        return new UserPage(rows.Select(x => UserAccounts.ToSummary(x.User, x.Role ?? PortalRoles.User, now)).ToList(), total);
    }
}
