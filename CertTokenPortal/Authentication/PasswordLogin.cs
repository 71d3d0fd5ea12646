using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Identity;

namespace CertTokenPortal.Authentication;

/// <summary>The outcome of a password check: the user when it passed; whether the account is locked when it did not.</summary>
public sealed record PasswordLoginOutcome(PortalUser? User, string? Role, bool LockedOut);

/// <summary>
/// Checks a user name and password for both doors (browser cookie login and API <c>/auth</c>), so that failed
/// attempts count towards one lockout and every attempt is audited the same way.
/// </summary>
public sealed class PasswordLogin(UserManager<PortalUser> users, SignInManager<PortalUser> signIn, IAuditLog audit)
{
    public async Task<PasswordLoginOutcome> CheckAsync(string? userName, string? password, string? realm, string? clientAddress)
    {
        var name = userName?.Trim() ?? "";
        var attempt = new Actor(name, realm ?? "", "", clientAddress);
        var user = name.Length == 0 ? null : await users.FindByNameAsync(name);

        if (user is null || string.IsNullOrEmpty(password) ||
            (!string.IsNullOrEmpty(realm) && !string.Equals(user.Realm, realm, StringComparison.OrdinalIgnoreCase)))
        {
            await audit.RecordAsync(attempt, AuditEvent.Failed(AuditActions.Login,
                user is null ? "Login refused: unknown user name." : "Login refused: wrong password or realm.") with { TargetUser = name });
            return new PasswordLoginOutcome(null, null, false);
        }

        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? PortalRoles.User;
        var actor = attempt with { Realm = user.Realm, Role = role };
        if (result.IsLockedOut)
        {
            await audit.RecordAsync(actor, AuditEvent.Failed(AuditActions.Login, "Login refused: the account is locked out.") with { TargetUser = name });
            return new PasswordLoginOutcome(null, null, true);
        }
        if (!result.Succeeded)
        {
            await audit.RecordAsync(actor, AuditEvent.Failed(AuditActions.Login, "Login refused: wrong password.") with { TargetUser = name });
            return new PasswordLoginOutcome(null, null, false);
        }

        await audit.RecordAsync(actor, AuditEvent.Succeeded(AuditActions.Login, "Logged in.") with { TargetUser = user.UserName });
        return new PasswordLoginOutcome(user, role, false);
    }

    public Task SignInCookieAsync(PortalUser user) => signIn.SignInAsync(user, isPersistent: false);
}
