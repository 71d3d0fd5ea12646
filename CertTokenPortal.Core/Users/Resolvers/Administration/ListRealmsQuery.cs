using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Users.Resolvers.Administration;

/// <summary>Lists realms (<c>GET /realm/</c>) with their resolvers in order, and which one is the default.</summary>
public sealed class ListRealmsQuery(IDbContextFactory<PortalDbContext> dbFactory, RealmResolvers realms)
{
    public async Task<Result<IReadOnlyList<RealmView>>> ExecuteAsync(Actor actor, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ViewUsers))
        {
            return ResolverErrors.ViewForbidden;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var views = (await db.Realms.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct)).Select(ToView).ToList();
        var fallback = await realms.DefaultRealmAsync(ct);
        if (!views.Any(v => string.Equals(v.Name, fallback, StringComparison.OrdinalIgnoreCase)))
        {
            // The realm of local accounts exists before anyone configures it.
            views.Insert(0, new RealmView(fallback, !views.Any(v => v.IsDefault), [new RealmMember(ResolverKinds.LocalResolverName, 1)]));
        }
        return views;
    }

    internal static RealmView ToView(RealmRecord record) => new(record.Name, record.IsDefault, RealmResolvers.Members(record));
}
