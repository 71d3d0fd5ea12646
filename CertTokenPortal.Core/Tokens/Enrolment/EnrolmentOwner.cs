using System.Collections.Concurrent;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Users.DirectoryUsers;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>
/// Decides whom a token is enrolled for, as privacyIDEA does: a user always for themself, staff for any existing user
/// (a portal account, or a user of the realm's directory, whose shadow account is recorded on the way).
/// </summary>
internal static class EnrolmentOwner
{
    private sealed record OwnerRow(string Id, string? UserName, string Realm, string? Email, string? DisplayName, string? GivenName,
        string? Surname, string? Role);

    // Account and role in one round trip (they were two), as a compiled query: building, funcletizing and looking up
    // this expression tree for every enrolment cost more CPU than running it (profile: 0.4 of 1.2 ms). One per provider,
    // because a compiled query keeps the provider it first ran with, and one process may hold portals on both.
    private static readonly ConcurrentDictionary<string, Func<PortalDbContext, string, CancellationToken, Task<OwnerRow?>>> OwnerQueries = new();

    private static Func<PortalDbContext, string, CancellationToken, Task<OwnerRow?>> OwnerQuery(PortalDbContext db) =>
        OwnerQueries.GetOrAdd(db.Database.ProviderName ?? "", _ => EF.CompileAsyncQuery((PortalDbContext d, string normalized, CancellationToken ct) =>
            d.Users.AsNoTracking()
                .Where(u => u.NormalizedUserName == normalized)
                .Select(u => new OwnerRow(u.Id, u.UserName, u.Realm, u.Email, u.DisplayName, u.GivenName, u.Surname,
                    (from ur in d.UserRoles
                     join r in d.Roles on ur.RoleId equals r.Id
                     where ur.UserId == u.Id
                     select r.Name).FirstOrDefault()))
                .FirstOrDefault()));

    public static async Task<Result<CertificateOwner>> ResolveAsync(PortalDbContext db, DirectoryOwners directory, Actor actor, string? userName, string? realm, CancellationToken ct)
    {
        // The role user may not choose: the user and realm parameters are ignored, the caller is the owner.
        var wanted = !actor.Allows(Permission.EnrolForOthers) || string.IsNullOrWhiteSpace(userName)
            ? actor.UserName
            : userName.Trim();

        var user = await OwnerQuery(db)(db, wanted.ToUpperInvariant(), ct);

        var wantedRealm = actor.Allows(Permission.EnrolForOthers) && !string.IsNullOrWhiteSpace(realm) ? realm.Trim() : null;
        if (user is null && actor.Allows(Permission.EnrolForOthers))
        {
            if (!(await directory.FindAsync(wanted, wantedRealm, ct)).TryGetValue(out var shadow, out var unreachable))
            {
                return unreachable;
            }
            if (shadow is not null)
            {
                return new CertificateOwner(shadow.UserName!, shadow.Realm, shadow.Email)
                {
                    AccountId = shadow.Id,
                    DisplayName = Users.PersonNames.Effective(shadow.DisplayName, shadow.GivenName, shadow.Surname),
                };
            }
        }
        if (user is null || (wantedRealm is not null && !string.Equals(user.Realm, wantedRealm, StringComparison.OrdinalIgnoreCase)))
        {
            return PortalError.Validation(wantedRealm is null
                ? $"There is no user '{wanted}'."
                : $"There is no user '{wanted}' in realm '{wantedRealm}'.");
        }
        return new CertificateOwner(user.UserName!, user.Realm, user.Email)
        {
            Role = PortalRoles.IsKnown(user.Role) ? user.Role! : PortalRoles.User,
            AccountId = user.Id,
            DisplayName = Users.PersonNames.Effective(user.DisplayName, user.GivenName, user.Surname),
        };
    }

    /// <summary>The account's role (an account without one counts as an end user, as the login treats it).</summary>
    public static async Task<string> RoleOfAsync(PortalDbContext db, string userName, CancellationToken ct)
    {
        var normalized = userName.ToUpperInvariant();
        var role = await (from u in db.Users
                          where u.NormalizedUserName == normalized
                          join ur in db.UserRoles on u.Id equals ur.UserId
                          join r in db.Roles on ur.RoleId equals r.Id
                          select r.Name).FirstOrDefaultAsync(ct);
        return PortalRoles.IsKnown(role) ? role! : PortalRoles.User;
    }

    /// <summary>
    /// Nobody enrols a key for an account above their own role: helpdesk staff cannot make a certificate for an admin.
    /// </summary>
    public static PortalError? CheckRank(Actor actor, CertificateOwner owner) =>
        Rank(owner.Role) > Rank(actor.Role) ? EnrolmentErrors.OwnerAboveActor(owner.UserName, owner.Role, actor.Role) : null;

    private static int Rank(string role) => role switch
    {
        PortalRoles.Admin => 2,
        PortalRoles.Helpdesk => 1,
        _ => 0,
    };
}
