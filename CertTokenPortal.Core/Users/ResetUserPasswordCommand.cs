using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Identity;

namespace CertTokenPortal.Core.Users;

/// <summary>Sets a new password on an account (admins only), checked against the password rules.</summary>
public sealed class ResetUserPasswordCommand(UserAccounts accounts, UseCaseGuard guard)
{
    public Task<Result<UserSummary>> ExecuteAsync(Actor actor, string userName, string newPassword, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageUsers, UserErrors.NotAllowed($"reset the password of '{userName}'"),
            refusal => UserAccounts.UpdateRefused(userName, refusal),
            () => accounts.UpdateAsync(actor, userName, async (users, user) =>
            {
                foreach (var validator in users.PasswordValidators)
                {
                    var check = await validator.ValidateAsync(users, user, newPassword ?? "");
                    if (!check.Succeeded)
                    {
                        return PortalError.Validation(UserAccounts.Describe(check));
                    }
                }
                await users.RemovePasswordAsync(user);
                var set = await users.AddPasswordAsync(user, newPassword!);
                if (!set.Succeeded)
                {
                    return PortalError.Validation(UserAccounts.Describe(set));
                }
                await users.ResetAccessFailedCountAsync(user);
                return $"Password of '{userName}' reset.";
            }, ct), ct);
}
