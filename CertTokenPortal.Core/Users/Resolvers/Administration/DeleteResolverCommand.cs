using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Users.Resolvers.Administration;

/// <summary>Deletes a resolver (<c>DELETE /resolver/&lt;name&gt;</c>) that no realm uses any more.</summary>
public sealed class DeleteResolverCommand(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, UseCaseGuard guard)
{
    public async Task<Result> ExecuteAsync(Actor actor, string name, CancellationToken ct = default) =>
        await guard.RunAsync(actor, Permission.ManageUsers, ResolverErrors.ManageForbidden,
            refusal => AuditEvent.Failed(AuditActions.ResolverDelete, $"Deleting resolver '{name}' refused: {refusal.Message}"),
            () => DeleteAsync(actor, name, ct), ct);

    private async Task<Result> DeleteAsync(Actor actor, string name, CancellationToken ct)
    {
        if (string.Equals(name, ResolverKinds.LocalResolverName, StringComparison.OrdinalIgnoreCase))
        {
            return ResolverErrors.BuiltIn;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Resolvers.FirstOrDefaultAsync(r => r.Name == name, ct);
        if (record is null)
        {
            return ResolverErrors.ResolverNotFound(name);
        }
        var usedBy = (await db.Realms.AsNoTracking().ToListAsync(ct))
            .Where(r => RealmResolvers.Members(r).Any(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)))
            .Select(r => r.Name).ToList();
        if (usedBy.Count > 0)
        {
            return ResolverErrors.ResolverInUse(name, usedBy);
        }
        db.Resolvers.Remove(record);
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.ResolverDelete, $"Resolver '{name}' deleted."));
        await db.SaveChangesAsync(ct);
        return Result.Success();
    }
}
