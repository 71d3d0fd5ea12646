using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Identity;

namespace CertTokenPortal.Core.Users;

/// <summary>Locks or unlocks an account; locking ends the user's open sessions at their next revalidation.</summary>
public sealed class SetUserLockedCommand(UserAccounts accounts, UseCaseGuard guard)
{
    public Task<Result<UserSummary>> ExecuteAsync(Actor actor, string userName, bool locked, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageUsers, UserErrors.NotAllowed($"{(locked ? "lock" : "unlock")} '{userName}'"),
            refusal => UserAccounts.UpdateRefused(userName, refusal),
            () => accounts.UpdateAsync(actor, userName, async (users, user) =>
            {
                if (locked && string.Equals(actor.UserName, userName, StringComparison.OrdinalIgnoreCase))
                {
                    return UserErrors.OwnAccountLock;
                }
                await users.SetLockoutEnabledAsync(user, true);
                await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
                if (!locked)
                {
                    await users.ResetAccessFailedCountAsync(user);
                }
                // A new security stamp ends the user's open sessions at their next revalidation.
                await users.UpdateSecurityStampAsync(user);
                return locked ? $"User '{userName}' locked." : $"User '{userName}' unlocked.";
            }, ct), ct);
}
