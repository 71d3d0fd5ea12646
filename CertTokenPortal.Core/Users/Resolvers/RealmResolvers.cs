using System.Text.Json;
using CertTokenPortal.Core.Configuration;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Users.Resolvers;

/// <summary>One resolver of a realm and its priority (lower is asked first), as privacyIDEA's <c>priority.&lt;resolver&gt;</c>.</summary>
public sealed record RealmMember(string Name, int Priority);

/// <summary>
/// Which resolvers serve a realm, in order. A realm that was never configured holds the portal's own accounts of
/// that name, as before realms existed; the default realm is the configured one or <c>Portal:DefaultRealm</c>.
/// </summary>
public sealed class RealmResolvers(IDbContextFactory<PortalDbContext> dbFactory, UserResolverRegistry registry, IOptions<PortalOptions> options)
{
    public async Task<string> DefaultRealmAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Realms.AsNoTracking().Where(r => r.IsDefault).Select(r => r.Name).FirstOrDefaultAsync(ct)
               ?? options.Value.DefaultRealm;
    }

    /// <summary>Whether <paramref name="realm"/> is configured (or is the default realm of local accounts).</summary>
    public async Task<bool> ExistsAsync(string realm, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Realms.AnyAsync(r => r.Name == realm, ct) ||
               string.Equals(realm, options.Value.DefaultRealm, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether <paramref name="realm"/> was configured as a list of resolvers (not just the realm of local accounts).</summary>
    public async Task<bool> IsConfiguredAsync(string realm, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Realms.AnyAsync(r => r.Name == realm, ct);
    }

    /// <summary>The resolvers of <paramref name="realm"/> in the order they are asked; the stored realm name too.</summary>
    public async Task<(string Realm, IReadOnlyList<IUserResolver> Resolvers)> ResolversOfAsync(string realm, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Realms.AsNoTracking().FirstOrDefaultAsync(r => r.Name == realm, ct);
        if (record is null)
        {
            return (realm, [(await registry.GetAsync(ResolverKinds.LocalResolverName, realm, ct))!]);
        }
        var resolvers = new List<IUserResolver>();
        foreach (var member in Members(record))
        {
            if (await registry.GetAsync(member.Name, record.Name, ct) is { } resolver)
            {
                resolvers.Add(resolver);
            }
        }
        return (record.Name, resolvers);
    }

    public static IReadOnlyList<RealmMember> Members(RealmRecord record) =>
        (JsonSerializer.Deserialize<List<RealmMember>>(record.ResolversJson) ?? [])
        .OrderBy(m => m.Priority).ThenBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ToList();
}
