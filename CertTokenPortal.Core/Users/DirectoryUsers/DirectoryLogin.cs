using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users.Resolvers;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Core.Users.DirectoryUsers;

/// <summary>What a directory login found: the shadow account on success; otherwise why not.</summary>
public sealed record DirectoryLoginOutcome(PortalUser? User, string? Role, bool Found, bool LockedOut, PortalError? Error)
{
    public static DirectoryLoginOutcome Unknown { get; } = new(null, null, false, false, null);
}

/// <summary>
/// Checks a directory user's password: finds them in the realm's resolvers (in priority order), binds with their
/// password, takes their role from group membership, and records the shadow account. A shadow locked by an admin (or
/// because the directory no longer has the user) is refused after a right password, as a local account is; failed
/// attempts are counted by the caller's login throttle, as for local accounts.
/// </summary>
public sealed class DirectoryLogin(RealmResolvers realms, DirectoryAccounts accounts, IServiceScopeFactory scopes)
{
    /// <summary>
    /// The realm a login name means: an explicit realm wins; "name@realm" when that realm is configured; otherwise
    /// the default realm.
    /// </summary>
    public async Task<(string Name, string Realm)> SplitAsync(string name, string? realm, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(realm))
        {
            return (name, realm.Trim());
        }
        var at = name.LastIndexOf('@');
        if (at > 0 && at < name.Length - 1 && await realms.ExistsAsync(name[(at + 1)..], ct))
        {
            return (name[..at], name[(at + 1)..]);
        }
        return (name, await realms.DefaultRealmAsync(ct));
    }

    public async Task<DirectoryLoginOutcome> CheckAsync(string name, string password, string realm, CancellationToken ct)
    {
        var (realmName, resolvers) = await realms.ResolversOfAsync(realm, ct);
        PortalError? unreachable = null;
        foreach (var resolver in resolvers.Where(r => r.Name != ResolverKinds.LocalResolverName))
        {
            if (!(await resolver.FindByLoginNameAsync(name, ct)).TryGetValue(out var found, out var error))
            {
                unreachable ??= error;
                continue;
            }
            if (found is not null)
            {
                return await CheckFoundAsync(realmName, resolver, found, password, ct);
            }
        }
        return unreachable is null ? DirectoryLoginOutcome.Unknown : new DirectoryLoginOutcome(null, null, false, false, unreachable);
    }

    private async Task<DirectoryLoginOutcome> CheckFoundAsync(string realm, IUserResolver resolver, DirectoryUser found, string password, CancellationToken ct)
    {
        // The bind comes first: whether the account is locked is told only to someone who gave the right password,
        // and failed attempts are counted by the login throttle (per name and address), never on the account.
        if (!(await resolver.CheckPasswordAsync(found, password, ct)).TryGetValue(out var valid, out var bindError))
        {
            return new DirectoryLoginOutcome(null, null, true, false, bindError);
        }
        if (!valid)
        {
            return new DirectoryLoginOutcome(null, null, true, false, null);
        }
        if (!(await accounts.RecordAsync(realm, resolver.Name, found, role: null, ct)).TryGetValue(out var shadow, out var recordError))
        {
            return new DirectoryLoginOutcome(null, null, true, false, recordError);
        }
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        // The shadow as just saved (not looked up again here: a second look-up in this scope would keep the stale copy).
        if (await users.IsLockedOutAsync(shadow))
        {
            return new DirectoryLoginOutcome(null, null, true, true, null);
        }
        if (!(await resolver.RoleOfAsync(found, ct)).TryGetValue(out var role, out var roleError))
        {
            return new DirectoryLoginOutcome(null, null, true, false, roleError);
        }
        if (!(await accounts.RecordAsync(realm, resolver.Name, found, role, ct)).TryGetValue(out shadow, out recordError))
        {
            return new DirectoryLoginOutcome(null, null, true, false, recordError);
        }
        return new DirectoryLoginOutcome(shadow, role, true, false, null);
    }
}
