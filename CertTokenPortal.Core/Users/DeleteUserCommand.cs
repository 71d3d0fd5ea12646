using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Core.Users;

/// <summary>
/// Deletes an account (admins). Its tokens stay, with their owner's name, history and audit trail: a token names
/// its owner by user name and realm, not by a row of the account. Every session of the account ends within seconds.
/// </summary>
public sealed class DeleteUserCommand(IServiceScopeFactory scopes, IAuditLog audit, UseCaseGuard guard, SessionValidator sessions)
{
    public Task<Result> ExecuteAsync(Actor actor, string userName, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageUsers, PortalError.Forbidden("Only admins may delete users."),
            refusal => AuditEvent.Failed(AuditActions.UserDelete, refusal.Message) with { TargetUser = userName },
            () => DeleteAsync(actor, userName, ct), ct);

    private async Task<Result> DeleteAsync(Actor actor, string userName, CancellationToken ct)
    {
        if (string.Equals(actor.UserName, userName, StringComparison.OrdinalIgnoreCase))
        {
            return PortalError.Conflict("You cannot delete your own account; ask another admin.");
        }

        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var user = string.IsNullOrEmpty(userName) ? null : await users.FindByNameAsync(userName);
        if (user is null)
        {
            return PortalError.NotFound($"There is no user '{userName}'.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded)
        {
            throw new InvalidOperationException($"Deleting '{userName}' failed: {string.Join(" ", deleted.Errors.Select(e => e.Description))}");
        }
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.UserDelete, $"Deleted user '{user.UserName}' of realm '{user.Realm}'; their tokens are kept.") with { TargetUser = user.UserName });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        sessions.Invalidate(user.UserName!);
        return Result.Success();
    }
}
