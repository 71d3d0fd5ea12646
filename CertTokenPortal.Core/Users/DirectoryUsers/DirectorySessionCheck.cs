using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users.Resolvers;

namespace CertTokenPortal.Core.Users.DirectoryUsers;

/// <summary>
/// Whether a logged-in directory user is still in their directory (asked through the resolver's short cache). A user
/// removed or filtered out (e.g. disabled in AD by the search filter) has their shadow locked, which ends their
/// cookie sessions and API tokens. When the directory cannot be reached, open sessions go on: an outage should not
/// log everyone out, and new logins are refused meanwhile anyway.
/// </summary>
public sealed class DirectorySessionCheck(UserResolverRegistry registry, DirectoryAccounts accounts)
{
    /// <summary>Whether the directory still has the user (true also when it cannot be asked); locks the shadow when not.</summary>
    public async Task<bool> IsStillPresentAsync(string userId, string realm, string resolverName, string externalId, CancellationToken ct)
    {
        var resolver = await registry.GetAsync(resolverName, realm, ct);
        if (resolver is null)
        {
            return false;
        }
        if (!(await resolver.FindByIdAsync(externalId, ct)).TryGetValue(out var found, out _))
        {
            return true;
        }
        if (found is null)
        {
            await accounts.MarkRemovedAsync(userId, ct);
            return false;
        }
        return true;
    }
}
