using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users.DirectoryUsers;
using Microsoft.AspNetCore.Identity;

namespace CertTokenPortal.Authentication;

/// <summary>
/// The outcome of a password check: the user when it passed; otherwise whether the account is locked by an admin
/// (said only to someone who gave the right password), how long this address must wait before trying again, or the
/// error when the user's directory could not be asked.
/// </summary>
public sealed record PasswordLoginOutcome(PortalUser? User, string? Role, bool LockedOut, TimeSpan? RetryAfter = null, PortalError? Unavailable = null);

/// <summary>
/// Checks a user name and password for both doors (browser cookie login and API <c>/auth</c>): the same throttle, the
/// same audit, and the same work and answer for an unknown name as for a wrong password (a password hash is checked
/// either way), so that neither the message nor the time tells which accounts exist. Portal accounts are checked by
/// Identity; any other name (<c>name</c>, <c>name@realm</c>, or with a realm) goes to the realm's directory, through
/// the same throttle.
/// </summary>
public sealed class PasswordLogin(
    UserManager<PortalUser> users, SignInManager<PortalUser> signIn, IPasswordHasher<PortalUser> hasher,
    LoginThrottle throttle, IAuditLog audit, DirectoryLogin directory)
{
    private static readonly PortalUser Nobody = new() { UserName = "\u0000nobody" };
    private static string? _dummyHash;

    public async Task<PasswordLoginOutcome> CheckAsync(string? userName, string? password, string? realm, string? clientAddress, CancellationToken ct = default)
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

        if (await throttle.RetryAfterAsync(name, realm, clientAddress, ct) is { } wait)
        {
            await audit.RecordAsync(attempt, AuditEvent.Failed(AuditActions.LoginThrottled,
                $"Login refused without checking the password: too many failed attempts from {clientAddress ?? "an unknown address"}; {Seconds(wait)} s to wait.") with { TargetUser = name }, ct);
            return new PasswordLoginOutcome(null, null, false, wait);
        }

        var user = name.Length == 0 ? null : await users.FindByNameAsync(name);
        if (name.Length > 0 && !string.IsNullOrEmpty(password) &&
            (user is null || user.Resolver is not null || !(string.IsNullOrEmpty(realm) || string.Equals(user.Realm, realm, StringComparison.OrdinalIgnoreCase))))
        {
            // Not a portal account of that realm: the realm's directory decides. A directory user known to the portal
            // may leave out their realm: their shadow account knows it.
            var realmOfShadow = string.IsNullOrEmpty(realm) && user?.Resolver is not null ? user.Realm : realm;
            return await CheckDirectoryAsync(name, password, realm, realmOfShadow, clientAddress, attempt, ct);
        }

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

        if (!passwordRight)
        {
            return await RefuseAsync(name, realm, clientAddress, attempt with { Realm = user?.Realm ?? attempt.Realm }, name,
                user is null ? "unknown user name" : "wrong password", ct);
        }

        var role = (await users.GetRolesAsync(user!)).FirstOrDefault() ?? PortalRoles.User;
        var actor = attempt with { Realm = user!.Realm, Role = role };
        if (await users.IsLockedOutAsync(user))
        {
            await audit.RecordAsync(actor, AuditEvent.Failed(AuditActions.Login, "Login refused: the account is locked.") with { TargetUser = name }, ct);
            return new PasswordLoginOutcome(null, null, true);
        }

        await throttle.RecordSuccessAsync(name, realm, clientAddress, ct);
        await audit.RecordAsync(actor, AuditEvent.Succeeded(AuditActions.Login, "Logged in.") with { TargetUser = user.UserName }, ct);
        return new PasswordLoginOutcome(user, role, false);
    }

    private async Task<PasswordLoginOutcome> CheckDirectoryAsync(string name, string password, string? givenRealm, string? realm, string? clientAddress, Actor attempt, CancellationToken ct)
    {
        var (loginName, realmName) = await directory.SplitAsync(name, realm, ct);
        var outcome = await directory.CheckAsync(loginName, password, realmName, ct);
        var actor = attempt with { UserName = loginName, Realm = realmName, Role = outcome.Role ?? "" };
        switch (outcome)
        {
            case { User: not null }:
                await throttle.RecordSuccessAsync(name, givenRealm, clientAddress, ct);
                await audit.RecordAsync(actor, AuditEvent.Succeeded(AuditActions.Login, "Logged in with the directory password.") with { TargetUser = loginName }, ct);
                return new PasswordLoginOutcome(outcome.User, outcome.Role, false);
            case { Error: { } error }:
                // The directory is down or its data cannot be taken: not the user's fault, so not counted as a failure.
                await audit.RecordAsync(actor, AuditEvent.Failed(AuditActions.Login, $"Login refused: {error.Message}") with { TargetUser = loginName }, ct);
                return new PasswordLoginOutcome(null, null, false, null, error.Kind == ErrorKind.Unavailable ? error : null);
            case { LockedOut: true }:
                // Only reached with the right directory password, as for local accounts.
                await audit.RecordAsync(actor, AuditEvent.Failed(AuditActions.Login, "Login refused: the account is locked.") with { TargetUser = loginName }, ct);
                return new PasswordLoginOutcome(null, null, true);
            case { Found: true }:
                return await RefuseAsync(name, givenRealm, clientAddress, actor, loginName, "wrong password", ct);
            default:
                // An unknown name does the same hash work as a local check, so the time tells nothing.
                hasher.VerifyHashedPassword(Nobody, DummyHash(), password);
                return await RefuseAsync(name, givenRealm, clientAddress, actor, loginName, "unknown user name", ct);
        }
    }

    private async Task<PasswordLoginOutcome> RefuseAsync(string name, string? realm, string? clientAddress, Actor actor, string target, string reason, CancellationToken ct)
    {
        var next = await throttle.RecordFailureAsync(name, realm, clientAddress, ct);
        await audit.RecordAsync(actor,
            AuditEvent.Failed(AuditActions.Login, $"Login refused: {reason}{(next is { } n ? $"; this address waits {Seconds(n)} s before the next try" : "")}.") with { TargetUser = target }, ct);
        return new PasswordLoginOutcome(null, null, false);
    }

    public Task SignInCookieAsync(PortalUser user) => signIn.SignInAsync(user, isPersistent: false);

    private string DummyHash() => _dummyHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));

    private static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}
