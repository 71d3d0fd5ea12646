using System.Text.RegularExpressions;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Configuration;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Users;

/// <summary>
/// Managing portal accounts: list, create, change role, reset password, lock and unlock. The one place that decides
/// who may do this (admins manage, helpdesk views) and that audits it; the Users page and the API both call it.
/// </summary>
public sealed partial class UserAdministration(
    IServiceScopeFactory scopes,
    IAuditLog audit,
    IOptions<PortalOptions> portalOptions,
    TimeProvider clock)
{
    /// <summary>Lists accounts in user-name order, filtered and paged in the database.</summary>
    public async Task<Result<UserPage>> ListAsync(Actor actor, UserQuery query, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ViewUsers))
        {
            return PortalError.Forbidden("Only admins and helpdesk staff may list users.");
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Persistence.PortalDbContext>();

        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToUpperInvariant();
            // Name and email are compared in their normalized (upper-case) columns; the realm has none, so it is
            // upper-cased in the query. Contains becomes instr(), so '%' and '_' in a search are taken literally.
            users = users.Where(u => u.NormalizedUserName!.Contains(term) ||
                                     (u.NormalizedEmail != null && u.NormalizedEmail.Contains(term)) ||
                                     u.Realm.ToUpper().Contains(term));
        }
        if (!string.IsNullOrWhiteSpace(query.Realm))
        {
            users = users.Where(u => u.Realm == query.Realm);
        }

        var withRoles = from u in users
                        join ur in db.UserRoles on u.Id equals ur.UserId into urs
                        from ur in urs.DefaultIfEmpty()
                        join r in db.Roles on ur.RoleId equals r.Id into rs
                        from r in rs.DefaultIfEmpty()
                        select new { User = u, Role = r != null ? r.Name : null };
        if (!string.IsNullOrWhiteSpace(query.Role))
        {
            withRoles = withRoles.Where(x => x.Role == query.Role);
        }

        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        var page = Math.Max(query.Page, 1);
        var total = await withRoles.CountAsync(ct);
        var rows = await withRoles.OrderBy(x => x.User.NormalizedUserName)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);

        var now = clock.GetUtcNow();
        return new UserPage(rows.Select(x => ToSummary(x.User, x.Role ?? PortalRoles.User, now)).ToList(), total);
    }

    /// <summary>Finds one account by user name.</summary>
    public async Task<Result<UserSummary>> GetAsync(Actor actor, string userName, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ViewUsers) && !string.Equals(actor.UserName, userName, StringComparison.OrdinalIgnoreCase))
        {
            return PortalError.Forbidden("Only admins and helpdesk staff may look up other users.");
        }
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            return PortalError.NotFound($"There is no user '{userName}'.");
        }
        return ToSummary(user, await RoleOf(users, user), clock.GetUtcNow());
    }

    public async Task<Result<UserSummary>> CreateAsync(Actor actor, NewUser request, CancellationToken ct = default)
    {
        var audited = AuditEvent.Failed(AuditActions.UserCreate, "") with { TargetUser = request.UserName };
        if (!actor.Allows(Permission.ManageUsers))
        {
            return await Refuse(actor, audited, PortalError.Forbidden("Only admins may create users."), ct);
        }

        var userName = request.UserName?.Trim() ?? "";
        var realm = string.IsNullOrWhiteSpace(request.Realm) ? portalOptions.Value.DefaultRealm : request.Realm.Trim();
        var role = string.IsNullOrWhiteSpace(request.Role) ? PortalRoles.User : request.Role.Trim();
        var invalid = ValidateNewUser(userName, realm, role, request.Email);
        if (invalid is not null)
        {
            return await Refuse(actor, audited, invalid, ct);
        }

        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        if (await users.FindByNameAsync(userName) is not null)
        {
            return await Refuse(actor, audited, PortalError.Conflict($"A user named '{userName}' already exists."), ct);
        }

        var user = new PortalUser
        {
            UserName = userName,
            Email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim(),
            Realm = realm,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            EmailConfirmed = true,
        };

        // Password rules are checked before the account is created, so a refused password leaves nothing behind.
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, request.Password ?? "");
            if (!check.Succeeded)
            {
                return await Refuse(actor, audited, PortalError.Validation(Describe(check)), ct);
            }
        }

        var db = scope.ServiceProvider.GetRequiredService<Persistence.PortalDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var created = await users.CreateAsync(user, request.Password!);
        if (!created.Succeeded)
        {
            var kind = created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName)) ? ErrorKind.Conflict : ErrorKind.Validation;
            return await Refuse(actor, audited, new PortalError(kind, Describe(created)), ct);
        }
        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            throw new InvalidOperationException($"Adding role '{role}' failed: {Describe(added)}");
        }
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.UserCreate, $"Created user '{userName}' in realm '{realm}' with role '{role}'.") with { TargetUser = userName });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return ToSummary(user, role, clock.GetUtcNow());
    }

    public Task<Result<UserSummary>> ChangeRoleAsync(Actor actor, string userName, string role, CancellationToken ct = default) =>
        UpdateAsync(actor, userName, $"change the role of '{userName}'", async (users, user) =>
        {
            if (!PortalRoles.IsKnown(role))
            {
                return PortalError.Validation($"'{role}' is not a role. Choose admin, helpdesk or user.");
            }
            if (string.Equals(actor.UserName, userName, StringComparison.OrdinalIgnoreCase) && role != PortalRoles.Admin)
            {
                return PortalError.Conflict("You cannot take away your own admin role; ask another admin.");
            }
            var current = await users.GetRolesAsync(user);
            var changed = await users.RemoveFromRolesAsync(user, current);
            if (changed.Succeeded)
            {
                changed = await users.AddToRoleAsync(user, role);
            }
            if (!changed.Succeeded)
            {
                throw new InvalidOperationException($"Setting role '{role}' on '{userName}' failed: {Describe(changed)}");
            }
            // Identity keeps the stamp on role changes; without a new one, a demoted user's cookie would keep the old
            // role for hours. With it, the session revalidation ends their open sessions.
            await users.UpdateSecurityStampAsync(user);
            var from = current.FirstOrDefault() ?? PortalRoles.User;
            return $"Role of '{userName}' changed from '{from}' to '{role}'.";
        }, ct);

    public Task<Result<UserSummary>> ResetPasswordAsync(Actor actor, string userName, string newPassword, CancellationToken ct = default) =>
        UpdateAsync(actor, userName, $"reset the password of '{userName}'", async (users, user) =>
        {
            foreach (var validator in users.PasswordValidators)
            {
                var check = await validator.ValidateAsync(users, user, newPassword ?? "");
                if (!check.Succeeded)
                {
                    return PortalError.Validation(Describe(check));
                }
            }
            await users.RemovePasswordAsync(user);
            var set = await users.AddPasswordAsync(user, newPassword!);
            if (!set.Succeeded)
            {
                return PortalError.Validation(Describe(set));
            }
            await users.ResetAccessFailedCountAsync(user);
            return $"Password of '{userName}' reset.";
        }, ct);

    public Task<Result<UserSummary>> SetLockedAsync(Actor actor, string userName, bool locked, CancellationToken ct = default) =>
        UpdateAsync(actor, userName, $"{(locked ? "lock" : "unlock")} '{userName}'", async (users, user) =>
        {
            if (locked && string.Equals(actor.UserName, userName, StringComparison.OrdinalIgnoreCase))
            {
                return PortalError.Conflict("You cannot lock your own account.");
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
        }, ct);

    /// <summary>
    /// Runs one change to an existing account inside a transaction with its audit entry. The change returns either
    /// the audit message of its success or the error that refuses it.
    /// </summary>
    private async Task<Result<UserSummary>> UpdateAsync(
        Actor actor, string userName, string what,
        Func<UserManager<PortalUser>, PortalUser, Task<Result<string>>> change, CancellationToken ct)
    {
        var audited = AuditEvent.Failed(AuditActions.UserUpdate, "") with { TargetUser = userName };
        if (!actor.Allows(Permission.ManageUsers))
        {
            return await Refuse(actor, audited, PortalError.Forbidden($"Only admins may {what}."), ct);
        }

        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var db = scope.ServiceProvider.GetRequiredService<Persistence.PortalDbContext>();
        var user = await users.FindByNameAsync(userName ?? "");
        if (user is null)
        {
            return await Refuse(actor, audited, PortalError.NotFound($"There is no user '{userName}'."), ct);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var outcome = await change(users, user);
        if (!outcome.TryGetValue(out var message, out var error))
        {
            await transaction.RollbackAsync(ct);
            return await Refuse(actor, audited, error, ct);
        }
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.UserUpdate, message) with { TargetUser = user.UserName });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return ToSummary(user, await RoleOf(users, user), clock.GetUtcNow());
    }

    private async Task<PortalError> Refuse(Actor actor, AuditEvent audited, PortalError error, CancellationToken ct)
    {
        await audit.RecordAsync(actor, audited with { Message = error.Message }, ct);
        return error;
    }

    private static PortalError? ValidateNewUser(string userName, string realm, string role, string? email)
    {
        if (!UserNamePattern().IsMatch(userName))
        {
            return PortalError.Validation("A user name needs 1 to 64 characters: letters, digits, '.', '_', '-' or '@'.");
        }
        if (!RealmPattern().IsMatch(realm))
        {
            return PortalError.Validation("A realm needs 1 to 64 characters: letters, digits, '.', '_' or '-'.");
        }
        if (!PortalRoles.IsKnown(role))
        {
            return PortalError.Validation($"'{role}' is not a role. Choose admin, helpdesk or user.");
        }
        if (!string.IsNullOrWhiteSpace(email) && !EmailPattern().IsMatch(email.Trim()))
        {
            return PortalError.Validation($"'{email}' is not an email address.");
        }
        return null;
    }

    private static async Task<string> RoleOf(UserManager<PortalUser> users, PortalUser user) =>
        (await users.GetRolesAsync(user)).FirstOrDefault() ?? PortalRoles.User;

    private static UserSummary ToSummary(PortalUser u, string role, DateTimeOffset now) => new(
        u.Id, u.UserName ?? "", u.Email, u.Realm, role,
        u.LockoutEnd is { } end && end > now, u.LockoutEnd, u.AccessFailedCount, u.CreatedAt)
    {
        Source = u.Resolver ?? Resolvers.ResolverKinds.LocalResolverName,
        DisplayName = u.DisplayName,
    };

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex RealmPattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
