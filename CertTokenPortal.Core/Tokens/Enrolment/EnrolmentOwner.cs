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
    public static async Task<Result<CertificateOwner>> ResolveAsync(PortalDbContext db, DirectoryOwners directory, Actor actor, string? userName, string? realm, CancellationToken ct)
    {
        // The role user may not choose: the user and realm parameters are ignored, the caller is the owner.
        var wanted = !actor.Allows(Permission.EnrolForOthers) || string.IsNullOrWhiteSpace(userName)
            ? actor.UserName
            : userName.Trim();

        var normalized = wanted.ToUpperInvariant();
        var user = await db.Users.AsNoTracking()
            .Where(u => u.NormalizedUserName == normalized)
            .Select(u => new { u.UserName, u.Realm, u.Email })
            .FirstOrDefaultAsync(ct);

        var wantedRealm = actor.Allows(Permission.EnrolForOthers) && !string.IsNullOrWhiteSpace(realm) ? realm.Trim() : null;
        if (user is null && actor.Allows(Permission.EnrolForOthers))
        {
            if (!(await directory.FindAsync(wanted, wantedRealm, ct)).TryGetValue(out var shadow, out var unreachable))
            {
                return unreachable;
            }
            if (shadow is not null)
            {
                return new CertificateOwner(shadow.UserName!, shadow.Realm, shadow.Email);
            }
        }
        if (user is null || (wantedRealm is not null && !string.Equals(user.Realm, wantedRealm, StringComparison.OrdinalIgnoreCase)))
        {
            return PortalError.Validation(wantedRealm is null
                ? $"There is no user '{wanted}'."
                : $"There is no user '{wanted}' in realm '{wantedRealm}'.");
        }
        return new CertificateOwner(user.UserName!, user.Realm, user.Email);
    }
}
