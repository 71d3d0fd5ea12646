using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Users.Resolvers;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Core.Users.DirectoryUsers;

/// <summary>
/// Records directory users as shadow portal accounts, keyed by (realm, resolver, user id) and without a password.
/// The shadow is what roles, cookies, JWTs, security stamps, lockout and token ownership already work with, so a
/// directory user needs nothing new from them. A rename in the directory renames the shadow and, in the same
/// transaction, the owner name of its tokens, so no token is orphaned.
/// </summary>
public sealed class DirectoryAccounts(IServiceScopeFactory scopes, IAuditLog audit, TimeProvider clock)
{
    /// <summary>Creates or refreshes the shadow of <paramref name="user"/>; sets its role when <paramref name="role"/> is given.</summary>
    public async Task<Result<PortalUser>> RecordAsync(string realm, string resolver, DirectoryUser user, string? role, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();

        var shadow = await db.Users.FirstOrDefaultAsync(u => u.Realm == realm && u.Resolver == resolver && u.ExternalId == user.Id, ct);
        var holder = await users.FindByNameAsync(user.UserName);
        if (holder is not null && holder.Id != shadow?.Id)
        {
            return PortalError.Conflict($"The directory user '{user.UserName}' of realm '{realm}' has the same name as the portal account " +
                                        $"'{holder.UserName}' of realm '{holder.Realm}'; an admin must rename or remove one of them.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var actor = new Actor(user.UserName, realm, role ?? PortalRoles.User, null);
        if (shadow is null)
        {
            shadow = new PortalUser
            {
                UserName = user.UserName, Email = user.Email, DisplayName = user.DisplayName, GivenName = user.GivenName, Surname = user.Surname, Realm = realm, Resolver = resolver,
                ExternalId = user.Id, CreatedAt = clock.GetUtcNow().UtcDateTime, EmailConfirmed = true, LockoutEnabled = true,
            };
            if (Refused(await users.CreateAsync(shadow), user) is { } refused)
            {
                return refused;
            }
            Check(await users.AddToRoleAsync(shadow, role ?? PortalRoles.User));
            audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.UserDirectorySync,
                $"Directory user '{user.UserName}' of realm '{realm}' (resolver '{resolver}') recorded.") with { TargetUser = user.UserName });
        }
        else
        {
            var oldName = shadow.UserName!;
            if (oldName != user.UserName)
            {
                if (Refused(await users.SetUserNameAsync(shadow, user.UserName), user) is { } refused)
                {
                    return refused;
                }
                // The tokens belong to the shadow by id; only the name they show follows.
                var shadowId = shadow.Id;
                await db.Tokens.Where(t => t.OwnerId == shadowId)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.OwnerUserName, user.UserName), ct);
                await db.TokenOwnerLocks.Where(t => t.OwnerUserName == oldName && t.OwnerRealm == realm)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.OwnerUserName, user.UserName), ct);
                await db.PendingCertificateRequests.Where(t => t.OwnerUserName == oldName && t.OwnerRealm == realm)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.OwnerUserName, user.UserName), ct);
                audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.UserDirectorySync,
                    $"Directory user '{oldName}' of realm '{realm}' was renamed to '{user.UserName}'; their tokens follow.") with { TargetUser = user.UserName });
            }
            if (shadow.Email != user.Email || shadow.DisplayName != user.DisplayName || shadow.GivenName != user.GivenName || shadow.Surname != user.Surname)
            {
                shadow.Email = user.Email;
                shadow.DisplayName = user.DisplayName;
                shadow.GivenName = user.GivenName;
                shadow.Surname = user.Surname;
                Check(await users.UpdateAsync(shadow));
            }
            var current = (await users.GetRolesAsync(shadow)).FirstOrDefault() ?? PortalRoles.User;
            if (role is not null && role != current)
            {
                Check(await users.RemoveFromRoleAsync(shadow, current));
                Check(await users.AddToRoleAsync(shadow, role));
                // The old role must not live on in open sessions.
                Check(await users.UpdateSecurityStampAsync(shadow));
                audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.UserDirectorySync,
                    $"Role of directory user '{user.UserName}' changed from '{current}' to '{role}' by group membership.") with { TargetUser = user.UserName });
            }
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return shadow;
    }

    /// <summary>Locks the shadow of a user the directory no longer has, and ends their sessions (new security stamp).</summary>
    public async Task MarkRemovedAsync(string userId, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var shadow = await users.FindByIdAsync(userId);
        if (shadow is null || shadow.LockoutEnd == DateTimeOffset.MaxValue)
        {
            return;
        }
        await users.SetLockoutEndDateAsync(shadow, DateTimeOffset.MaxValue);
        await users.UpdateSecurityStampAsync(shadow);
        await audit.RecordAsync(Actor.System, AuditEvent.Succeeded(AuditActions.UserDirectorySync,
            $"Directory user '{shadow.UserName}' of realm '{shadow.Realm}' is no longer in the directory: account locked, sessions ended.") with { TargetUser = shadow.UserName }, ct);
    }

    /// <summary>A directory name the portal cannot take as an account name (e.g. with spaces) is the directory's data, not a bug.</summary>
    private static PortalError? Refused(IdentityResult result, DirectoryUser user) => result.Succeeded ? null
        : PortalError.Validation($"The directory user '{user.UserName}' cannot be recorded: {string.Join(" ", result.Errors.Select(e => e.Description))}");

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Recording a directory user failed: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
