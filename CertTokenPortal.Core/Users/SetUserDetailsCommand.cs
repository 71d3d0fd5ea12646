using System.Text.RegularExpressions;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.Users;

/// <summary>What an admin changes of an account besides role, lock and password: null keeps a value, empty clears it.</summary>
public sealed record UserDetails(string? GivenName = null, string? Surname = null, string? DisplayName = null, string? Email = null);

/// <summary>
/// Sets a portal account's given name, surname, display name and email (admins only). A directory user's are the
/// directory's and refreshed at every lookup, so they are refused here with a message saying where to change them.
/// </summary>
public sealed partial class SetUserDetailsCommand(UserAccounts accounts, UseCaseGuard guard)
{
    public Task<Result<UserSummary>> ExecuteAsync(Actor actor, string userName, UserDetails request, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageUsers, UserErrors.NotAllowed($"change the details of '{userName}'"),
            refusal => UserAccounts.UpdateRefused(userName, refusal),
            () => accounts.UpdateAsync(actor, userName, async (users, user) =>
            {
                if (user.Resolver is not null)
                {
                    return UserErrors.DetailsManagedByDirectory(user.UserName!, user.Realm);
                }
                var wanted = new PersonNames(request.GivenName ?? user.GivenName, request.Surname ?? user.Surname, request.DisplayName ?? user.DisplayName);
                if (!wanted.Normalise().TryGetValue(out var names, out var badName))
                {
                    return badName;
                }
                var email = request.Email is null ? user.Email : string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
                if (email is not null && !EmailPattern().IsMatch(email))
                {
                    return PortalError.Validation($"'{email}' is not an email address.");
                }
                user.GivenName = names.GivenName;
                user.Surname = names.Surname;
                user.DisplayName = names.DisplayName;
                // Identity renews the security stamp with a new email (sessions end); names alone leave sessions be.
                if (!string.Equals(user.Email, email, StringComparison.Ordinal))
                {
                    var changed = await users.SetEmailAsync(user, email);
                    if (!changed.Succeeded)
                    {
                        return PortalError.Validation(UserAccounts.Describe(changed));
                    }
                    user.EmailConfirmed = true;
                }
                var saved = await users.UpdateAsync(user);
                if (!saved.Succeeded)
                {
                    return PortalError.Conflict(UserAccounts.Describe(saved));
                }
                return $"Details of '{user.UserName}' set: display name '{names.Effective() ?? "none"}', email '{email ?? "none"}'.";
            }, ct), ct);

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
