using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Core.Users;

/// <summary>The logged-in user's current password and the new one.</summary>
public sealed record OwnPasswordChange(string? CurrentPassword, string? NewPassword);

/// <summary>
/// Any logged-in user changes their own password, proving the current one. The new security stamp ends every
/// session of the account, this one included, so the user logs in again with the new password.
/// </summary>
public sealed class ChangeOwnPasswordCommand(IServiceScopeFactory scopes, IAuditLog audit, UseCaseGuard guard, SessionValidator sessions)
{
    public Task<Result> ExecuteAsync(Actor actor, OwnPasswordChange request, CancellationToken ct = default) =>
        guard.RunAsync(actor, null, null,
            refusal => AuditEvent.Failed(AuditActions.UserPasswordChange, refusal.Message) with { TargetUser = actor.UserName },
            () => ChangeAsync(actor, request, ct), ct);

    private async Task<Result> ChangeAsync(Actor actor, OwnPasswordChange request, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var user = await users.FindByNameAsync(actor.UserName);
        if (user is null)
        {
            return PortalError.NotFound("Your account no longer exists.");
        }
        // Said before anything typed is judged: a directory user's fields are not wrong, the portal is the wrong place.
        if (user.Resolver is not null)
        {
            return UserErrors.PasswordManagedByDirectory(user.Realm);
        }
        if (string.IsNullOrEmpty(request.CurrentPassword) || string.IsNullOrEmpty(request.NewPassword))
        {
            return PortalError.Validation("Give your current password and the new one.");
        }
        if ((InputLimits.CheckPassword(request.CurrentPassword) ?? InputLimits.CheckPassword(request.NewPassword)) is { } invalid)
        {
            return invalid;
        }
        if (!await users.CheckPasswordAsync(user, request.CurrentPassword))
        {
            return PortalError.Validation("The current password is not right.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Validates the new password against the password rules and writes a new security stamp.
        var changed = await users.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
        if (!changed.Succeeded)
        {
            return PortalError.Validation(string.Join(" ", changed.Errors.Select(e => e.Description)));
        }
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.UserPasswordChange, "Changed own password; all sessions of the account end.") with { TargetUser = user.UserName });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        sessions.Invalidate(user.UserName!);
        return Result.Success();
    }
}
