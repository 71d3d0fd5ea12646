using System.Text.RegularExpressions;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Identity;
using CertTokenPortal.Core.Configuration;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Users;

/// <summary>Creates a portal account with a role (admins only); the password rules are checked before anything is saved.</summary>
public sealed partial class CreateUserCommand(UserAccounts accounts, UseCaseGuard guard, IAuditLog audit,
    IOptions<PortalOptions> portalOptions, TimeProvider clock)
{
    public Task<Result<UserSummary>> ExecuteAsync(Actor actor, NewUser request, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageUsers, UserErrors.NotAllowedToCreate,
            refusal => AuditEvent.Failed(AuditActions.UserCreate, refusal.Message) with { TargetUser = request.UserName },
            () => CreateCheckedAsync(actor, request, ct), ct);

    private async Task<Result<UserSummary>> CreateCheckedAsync(Actor actor, NewUser request, CancellationToken ct)
    {
        var userName = request.UserName?.Trim() ?? "";
        var realm = string.IsNullOrWhiteSpace(request.Realm) ? portalOptions.Value.DefaultRealm : request.Realm.Trim();
        var role = string.IsNullOrWhiteSpace(request.Role) ? PortalRoles.User : request.Role.Trim();
        var invalid = ValidateNewUser(userName, realm, role, request.Email);
        if (invalid is not null)
        {
            return invalid;
        }
        if (!request.Names.Normalise().TryGetValue(out var names, out var badName))
        {
            return badName;
        }

        return await accounts.RunAsync(async (users, db) => await CreateAsync(actor, request with { Names = names }, userName, realm, role, users, db, ct));
    }

    private async Task<Result<UserSummary>> CreateAsync(Actor actor, NewUser request, string userName, string realm, string role,
        UserManager<PortalUser> users, Persistence.PortalDbContext db, CancellationToken ct)
    {
        if (await users.FindByNameAsync(userName) is not null)
        {
            return UserErrors.NameTaken(userName);
        }

        var user = new PortalUser
        {
            UserName = userName,
            Email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim(),
            Realm = realm,
            GivenName = request.Names.GivenName,
            Surname = request.Names.Surname,
            DisplayName = request.Names.DisplayName,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            EmailConfirmed = true,
        };

        // Password rules are checked before the account is created, so a refused password leaves nothing behind.
        if (await UserAccounts.CheckPasswordAsync(users, user, request.Password) is { } weak)
        {
            return weak;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var created = await users.CreateAsync(user, request.Password!);
        if (!created.Succeeded)
        {
            var kind = created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName)) ? ErrorKind.Conflict : ErrorKind.Validation;
            return new PortalError(kind, UserAccounts.Describe(created));
        }
        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            throw new InvalidOperationException($"Adding role '{role}' failed: {UserAccounts.Describe(added)}");
        }
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.UserCreate, $"Created user '{userName}' in realm '{realm}' with role '{role}'.") with { TargetUser = userName });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return UserAccounts.ToSummary(user, role, clock.GetUtcNow());
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
            return UserErrors.NotARole(role);
        }
        if (!string.IsNullOrWhiteSpace(email) && !EmailPattern().IsMatch(email.Trim()))
        {
            return PortalError.Validation($"'{email}' is not an email address.");
        }
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex RealmPattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
