using System.Text.Json;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Users.Resolvers.Administration;

/// <summary>Lists resolvers (<c>GET /resolver/</c>), the built-in local one first; never a bind password.</summary>
public sealed class ListResolversQuery(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<Result<IReadOnlyList<ResolverView>>> ExecuteAsync(Actor actor, string? name, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ViewUsers))
        {
            return ResolverErrors.ViewForbidden;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var records = await db.Resolvers.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct);
        var views = new List<ResolverView> { new(ResolverKinds.LocalResolverName, ResolverKinds.Local, new Dictionary<string, string>(), false) };
        views.AddRange(records.Select(ToView));
        if (name is null)
        {
            return views;
        }
        var one = views.Where(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        return one.Count == 0 ? ResolverErrors.ResolverNotFound(name) : one;
    }

    internal static ResolverView ToView(ResolverRecord record) => new(record.Name, record.Type,
        JsonSerializer.Deserialize<Dictionary<string, string>>(record.SettingsJson) ?? [], record.EncryptedBindPassword is not null);
}
