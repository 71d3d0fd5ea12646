using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Identity;

namespace CertTokenPortal.Core.Users;

/// <summary>Gives an account another role; the user's open sessions end at their next revalidation.</summary>
public sealed class ChangeUserRoleCommand(UserAccounts accounts, UseCaseGuard guard)
{
    public Task<Result<UserSummary>> ExecuteAsync(Actor actor, string userName, string role, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageUsers, UserErrors.NotAllowed($"change the role of '{userName}'"),
            refusal => UserAccounts.UpdateRefused(userName, refusal),
            () => accounts.UpdateAsync(actor, userName, async (users, user) =>
            {
                if (!PortalRoles.IsKnown(role))
                {
                    return UserErrors.NotARole(role);
                }
                if (string.Equals(actor.UserName, userName, StringComparison.OrdinalIgnoreCase) && role != PortalRoles.Admin)
                {
                    return UserErrors.OwnAdminRole;
                }
                var current = await users.GetRolesAsync(user);
                var changed = await users.RemoveFromRolesAsync(user, current);
                if (changed.Succeeded)
                {
                    changed = await users.AddToRoleAsync(user, role);
                }
                if (!changed.Succeeded)
                {
                    throw new InvalidOperationException($"Setting role '{role}' on '{userName}' failed: {UserAccounts.Describe(changed)}");
                }
                // Identity keeps the stamp on role changes; without a new one, a demoted user's cookie would keep the old
                // role for hours. With it, the session revalidation ends their open sessions.
                await users.UpdateSecurityStampAsync(user);
                var from = current.FirstOrDefault() ?? PortalRoles.User;
                return $"Role of '{userName}' changed from '{from}' to '{role}'.";
            }, ct), ct);
}
