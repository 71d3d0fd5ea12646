using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Identity;

namespace CertTokenPortal.Authentication;

/// <summary>
/// The outcome of a password check: the user when it passed; otherwise whether the account is locked by an admin
/// (said only to someone who gave the right password) or how long this address must wait before trying again.
/// </summary>
public sealed record PasswordLoginOutcome(PortalUser? User, string? Role, bool LockedOut, TimeSpan? RetryAfter = null);

/// <summary>
/// Checks a user name and password for both doors (browser cookie login and API <c>/auth</c>): the same throttle, the
/// same audit, and the same work and answer for an unknown name as for a wrong password (a password hash is checked
/// either way), so that neither the message nor the time tells which accounts exist.
/// </summary>
public sealed class PasswordLogin(
    UserManager<PortalUser> users, SignInManager<PortalUser> signIn, IPasswordHasher<PortalUser> hasher,
    LoginThrottle throttle, IAuditLog audit)
{
    private static readonly PortalUser Nobody = new() { UserName = "\u0000nobody" };
    private static string? _dummyHash;

    public async Task<PasswordLoginOutcome> CheckAsync(string? userName, string? password, string? realm, string? clientAddress)
    {
        var name = userName?.Trim() ?? "";
        var attempt = new Actor(name, realm ?? "", "", clientAddress);
        if (name.Length > InputLimits.MaxUserNameLength || InputLimits.CheckPassword(password) is not null || !InputLimits.IsCleanLine(name))
        {
            // Cannot be an account's name or password; refused like any wrong password, without a database look-up.
            name = name.Length > InputLimits.MaxUserNameLength ? name[..InputLimits.MaxUserNameLength] : name;
            attempt = attempt with { UserName = name };
            password = null;
        }

        if (await throttle.RetryAfterAsync(name, clientAddress) is { } wait)
        {
            await audit.RecordAsync(attempt, AuditEvent.Failed(AuditActions.LoginThrottled,
                $"Login refused without checking the password: too many failed attempts from {clientAddress ?? "an unknown address"}; {Seconds(wait)} s to wait.") with { TargetUser = name });
            return new PasswordLoginOutcome(null, null, false, wait);
        }

        var user = name.Length == 0 ? null : await users.FindByNameAsync(name);
        var realmMatches = user is not null && (string.IsNullOrEmpty(realm) || string.Equals(user.Realm, realm, StringComparison.OrdinalIgnoreCase));
        bool passwordRight;
        if (user is null || string.IsNullOrEmpty(password))
        {
            // The same PBKDF2 work as a real check, so that an unknown name answers no faster than a known one.
            hasher.VerifyHashedPassword(Nobody, DummyHash(), password ?? "");
            passwordRight = false;
        }
        else
        {
            passwordRight = await users.CheckPasswordAsync(user, password);
        }

        if (!passwordRight || !realmMatches)
        {
            var next = await throttle.RecordFailureAsync(name, clientAddress);
            var reason = user is null ? "unknown user name" : !passwordRight ? "wrong password" : "wrong realm";
            await audit.RecordAsync(attempt with { Realm = user?.Realm ?? attempt.Realm },
                AuditEvent.Failed(AuditActions.Login, $"Login refused: {reason}{(next is { } n ? $"; this address waits {Seconds(n)} s before the next try" : "")}.") with { TargetUser = name });
            return new PasswordLoginOutcome(null, null, false);
        }

        var role = (await users.GetRolesAsync(user!)).FirstOrDefault() ?? PortalRoles.User;
        var actor = attempt with { Realm = user!.Realm, Role = role };
        if (await users.IsLockedOutAsync(user))
        {
            await audit.RecordAsync(actor, AuditEvent.Failed(AuditActions.Login, "Login refused: the account is locked.") with { TargetUser = name });
            return new PasswordLoginOutcome(null, null, true);
        }

        await throttle.RecordSuccessAsync(name, clientAddress);
        await audit.RecordAsync(actor, AuditEvent.Succeeded(AuditActions.Login, "Logged in.") with { TargetUser = user.UserName });
        return new PasswordLoginOutcome(user, role, false);
    }

    public Task SignInCookieAsync(PortalUser user) => signIn.SignInAsync(user, isPersistent: false);

    private string DummyHash() => _dummyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));

    private static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}
