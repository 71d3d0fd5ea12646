using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using CertTokenPortal.Core.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Core.Users;

/// <summary>
/// The account store for one unit of work, as <c>IDbContextFactory</c> is for EF: every call gets a fresh
/// <see cref="UserManager{TUser}"/> with a fresh context. A Blazor circuit lives for hours, and a user manager kept
/// that long would answer from entities tracked when the page opened (an account locked by another admin meanwhile,
/// a stale concurrency stamp), so the account use cases never hold one.
/// </summary>
public sealed class UserAccounts(IServiceScopeFactory scopes, IAuditLog audit, SessionValidator sessions, TimeProvider clock)
{
    /// <summary>Runs <paramref name="work"/> with a user manager and the context it writes to.</summary>
    public async Task<T> RunAsync<T>(Func<UserManager<PortalUser>, PortalDbContext, Task<T>> work)
    {
        using var scope = scopes.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>(),
            scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    /// <summary>
    /// Runs one change to an existing account inside a transaction with its audit entry. The change returns either
    /// the audit message of its success or the error that refuses it (audited by the caller's guard).
    /// </summary>
    public Task<Result<UserSummary>> UpdateAsync(Actor actor, string userName,
        Func<UserManager<PortalUser>, PortalUser, Task<Result<string>>> change, CancellationToken ct) =>
        RunAsync<Result<UserSummary>>(async (users, db) =>
        {
            var user = await users.FindByNameAsync(userName ?? "");
            if (user is null)
            {
                return UserErrors.NoSuchUser(userName);
            }
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var outcome = await change(users, user);
            if (!outcome.TryGetValue(out var message, out var error))
            {
                await transaction.RollbackAsync(ct);
                return error;
            }
            audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.UserUpdate, message) with { TargetUser = user.UserName });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            // The account's sessions are checked against the database again at once in this process (others within seconds).
            sessions.Invalidate(user.UserName!);
            return ToSummary(user, await RoleOf(users, user), clock.GetUtcNow());
        });

    /// <summary>The refusal audit of a change to <paramref name="userName"/>.</summary>
    public static AuditEvent UpdateRefused(string userName, PortalError refusal) =>
        AuditEvent.Failed(AuditActions.UserUpdate, refusal.Message) with { TargetUser = userName };

    internal static async Task<string> RoleOf(UserManager<PortalUser> users, PortalUser user) =>
        (await users.GetRolesAsync(user)).FirstOrDefault() ?? PortalRoles.User;

    internal static UserSummary ToSummary(PortalUser u, string role, DateTimeOffset now) => new(
        u.Id, u.UserName ?? "", u.Email, u.Realm, role,
        u.LockoutEnd is { } end && end > now, u.LockoutEnd, u.AccessFailedCount, u.CreatedAt)
    {
        Source = u.Resolver ?? Resolvers.ResolverKinds.LocalResolverName,
        DisplayName = u.DisplayName,
        GivenName = u.GivenName,
        Surname = u.Surname,
    };

    internal static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));

    /// <summary>Why <paramref name="password"/> does not pass the password rules, or null when it does.</summary>
    internal static async Task<PortalError?> CheckPasswordAsync(UserManager<PortalUser> users, PortalUser user, string? password)
    {
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password ?? "");
            if (!check.Succeeded)
            {
                return PortalError.Validation(Describe(check));
            }
        }
        return null;
    }
}
