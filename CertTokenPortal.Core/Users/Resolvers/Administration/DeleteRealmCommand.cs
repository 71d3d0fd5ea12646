using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Users.Resolvers.Administration;

/// <summary>Deletes a realm (<c>DELETE /realm/&lt;name&gt;</c>); the default realm stays until another is the default.</summary>
public sealed class DeleteRealmCommand(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, UseCaseGuard guard)
{
    public async Task<Result> ExecuteAsync(Actor actor, string name, CancellationToken ct = default) =>
        await guard.RunAsync(actor, Permission.ManageUsers, ResolverErrors.ManageForbidden,
            refusal => AuditEvent.Failed(AuditActions.RealmDelete, $"Deleting realm '{name}' refused: {refusal.Message}"),
            () => DeleteAsync(actor, name, ct), ct);

    private async Task<Result> DeleteAsync(Actor actor, string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Realms.FirstOrDefaultAsync(r => r.Name == name, ct);
        if (record is null)
        {
            return ResolverErrors.RealmNotFound(name);
        }
        if (record.IsDefault && await db.Realms.CountAsync(ct) > 1)
        {
            return ResolverErrors.DefaultRealmInUse(name);
        }
        db.Realms.Remove(record);
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.RealmDelete, $"Realm '{name}' deleted."));
        await db.SaveChangesAsync(ct);
        return Result.Success();
    }
}
