using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Notifications;

/// <summary>Someone a mail goes to: the account name (for the greeting) and the address.</summary>
public sealed record MailRecipient(string UserName, string Address);

/// <summary>Finds the addresses of the people a notification is for, from the portal's accounts.</summary>
public static class NotificationRecipients
{
    /// <summary>The account's address, or nothing when it has none (then no mail is written).</summary>
    public static async Task<IReadOnlyList<MailRecipient>> UserAsync(PortalDbContext db, string userName, string? realm, CancellationToken ct)
    {
        var normalized = userName.ToUpperInvariant();
        var users = db.Users.AsNoTracking().Where(u => u.NormalizedUserName == normalized);
        if (realm is not null)
        {
            users = users.Where(u => u.Realm == realm);
        }
        var found = await users.Where(u => u.Email != null && u.Email != "")
            .Select(u => new MailRecipient(u.UserName!, u.Email!)).ToListAsync(ct);
        return found;
    }

    /// <summary>Everyone who may decide pending requests, except <paramref name="exclude"/> (who may not decide their own).</summary>
    public static async Task<IReadOnlyList<MailRecipient>> ApproversAsync(PortalDbContext db, IEnumerable<string> exclude, CancellationToken ct)
    {
        var roles = RolePermissions.RolesFor(Permission.DecideApprovals).ToList();
        var excluded = exclude.Select(e => e.ToUpperInvariant()).ToList();
        return await (from u in db.Users.AsNoTracking()
                      join ur in db.UserRoles on u.Id equals ur.UserId
                      join r in db.Roles on ur.RoleId equals r.Id
                      where roles.Contains(r.Name!) && u.Email != null && u.Email != "" && !excluded.Contains(u.NormalizedUserName!)
                      orderby u.NormalizedUserName
                      select new MailRecipient(u.UserName!, u.Email!)).ToListAsync(ct);
    }
}
