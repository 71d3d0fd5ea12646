using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users.DirectoryUsers;
using Microsoft.AspNetCore.Identity;

namespace CertTokenPortal.Authentication;

/// <summary>
/// The outcome of a password check: the user when it passed; whether the account is locked when it did not; and
/// the error when the user's directory could not be asked.
/// </summary>
public sealed record PasswordLoginOutcome(PortalUser? User, string? Role, bool LockedOut, PortalError? Unavailable = null);

/// <summary>
/// Checks a user name and password for both doors (browser cookie login and API <c>/auth</c>), so that failed
/// attempts count towards one lockout and every attempt is audited the same way. Portal accounts are checked by
/// Identity; any other name (<c>name</c>, <c>name@realm</c>, or with a realm) goes to the realm's directory.
/// </summary>
public sealed class PasswordLogin(UserManager<PortalUser> users, SignInManager<PortalUser> signIn, IAuditLog audit, DirectoryLogin directory)
{
    public async Task<PasswordLoginOutcome> CheckAsync(string? userName, string? password, string? realm, string? clientAddress, CancellationToken ct = default)
    {
        var name = userName?.Trim() ?? "";
        var attempt = new Actor(name, realm ?? "", "", clientAddress);
        var user = name.Length == 0 ? null : await users.FindByNameAsync(name);
        if (string.IsNullOrEmpty(password) || name.Length == 0)
        {
            await audit.RecordAsync(attempt, AuditEvent.Failed(AuditActions.Login, "Login refused: no user name or password.") with { TargetUser = name }, ct);
            return new PasswordLoginOutcome(null, null, false);
        }
        if (user is not null && user.Resolver is null &&
            (string.IsNullOrEmpty(realm) || string.Equals(user.Realm, realm, StringComparison.OrdinalIgnoreCase)))
        {
            return await CheckLocalAsync(user, password, attempt, ct);
        }
        // A directory user known to the portal may leave out their realm: their shadow account knows it.
        var realmOfShadow = string.IsNullOrEmpty(realm) && user?.Resolver is not null ? user.Realm : realm;
        return await CheckDirectoryAsync(name, password, realmOfShadow, attempt, ct);
    }

    private async Task<PasswordLoginOutcome> CheckLocalAsync(PortalUser user, string password, Actor attempt, CancellationToken ct)
    {
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? PortalRoles.User;
        var actor = attempt with { Realm = user.Realm, Role = role };
        if (result.IsLockedOut)
        {
            await audit.RecordAsync(actor, AuditEvent.Failed(AuditActions.Login, "Login refused: the account is locked out.") with { TargetUser = user.UserName }, ct);
            return new PasswordLoginOutcome(null, null, true);
        }
        if (!result.Succeeded)
        {
            await audit.RecordAsync(actor, AuditEvent.Failed(AuditActions.Login, "Login refused: wrong password.") with { TargetUser = user.UserName }, ct);
            return new PasswordLoginOutcome(null, null, false);
        }
        await audit.RecordAsync(actor, AuditEvent.Succeeded(AuditActions.Login, "Logged in.") with { TargetUser = user.UserName }, ct);
        return new PasswordLoginOutcome(user, role, false);
    }

    private async Task<PasswordLoginOutcome> CheckDirectoryAsync(string name, string password, string? realm, Actor attempt, CancellationToken ct)
    {
        var (loginName, realmName) = await directory.SplitAsync(name, realm, ct);
        var outcome = await directory.CheckAsync(loginName, password, realmName, ct);
        var actor = attempt with { UserName = loginName, Realm = realmName, Role = outcome.Role ?? "" };
        var (success, message) = outcome switch
        {
            { User: not null } => (true, "Logged in with the directory password."),
            { Error: { Kind: ErrorKind.Unavailable } e } => (false, $"Login refused: {e.Message}"),
            { Error: { } e } => (false, $"Login refused: {e.Message}"),
            { LockedOut: true } => (false, "Login refused: the account is locked out."),
            { Found: true } => (false, "Login refused: wrong password."),
            _ => (false, "Login refused: unknown user name."),
        };
        await audit.RecordAsync(actor, (success ? AuditEvent.Succeeded(AuditActions.Login, message) : AuditEvent.Failed(AuditActions.Login, message))
            with { TargetUser = loginName }, ct);
        return new PasswordLoginOutcome(outcome.User, outcome.Role, outcome.LockedOut,
            outcome.Error is { Kind: ErrorKind.Unavailable } down ? down : null);
    }

    public Task SignInCookieAsync(PortalUser user) => signIn.SignInAsync(user, isPersistent: false);
}
