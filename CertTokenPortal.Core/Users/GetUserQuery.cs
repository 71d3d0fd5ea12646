using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Users;

/// <summary>Finds one account by user name: staff any, everyone their own.</summary>
public sealed class GetUserQuery(UserAccounts accounts, UseCaseGuard guard, TimeProvider clock)
{
    public Task<Result<UserSummary>> ExecuteAsync(Actor actor, string userName, CancellationToken ct = default)
    {
        var own = string.Equals(actor.UserName, userName, StringComparison.OrdinalIgnoreCase);
        return guard.RunAsync(actor, own ? null : Permission.ViewUsers, UserErrors.NotAllowedToLookUp, refusal: null,
            () => accounts.RunAsync<Result<UserSummary>>(async (users, _) =>
            {
                var user = await users.FindByNameAsync(userName);
                return user is null
                    ? UserErrors.NoSuchUser(userName)
                    : UserAccounts.ToSummary(user, await UserAccounts.RoleOf(users, user), clock.GetUtcNow());
            }), ct);
    }
}
