using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users.Resolvers;

namespace CertTokenPortal.Core.Users.DirectoryUsers;

/// <summary>
/// Finds a token owner who has no portal account yet in their realm's directory and records their shadow account,
/// so that helpdesk can enrol for a directory user who never logged in. Name and email come from the directory.
/// </summary>
public sealed class DirectoryOwners(RealmResolvers realms, DirectoryAccounts accounts)
{
    /// <summary>The shadow of <paramref name="userName"/> in <paramref name="realm"/> (or the default realm); null when no directory has them.</summary>
    public async Task<Result<PortalUser?>> FindAsync(string userName, string? realm, CancellationToken ct)
    {
        var wanted = string.IsNullOrWhiteSpace(realm) ? await realms.DefaultRealmAsync(ct) : realm.Trim();
        var (realmName, resolvers) = await realms.ResolversOfAsync(wanted, ct);
        foreach (var resolver in resolvers.Where(r => r.Name != ResolverKinds.LocalResolverName))
        {
            if (!(await resolver.FindByLoginNameAsync(userName, ct)).TryGetValue(out var found, out var error))
            {
                return error;
            }
            if (found is not null)
            {
                var role = await resolver.RoleOfAsync(found, ct);
                return (await accounts.RecordAsync(realmName, resolver.Name, found, role.IsSuccess ? role.Value : null, ct)).Map<PortalUser?>(u => u);
            }
        }
        return Result<PortalUser?>.Success(null);
    }
}
