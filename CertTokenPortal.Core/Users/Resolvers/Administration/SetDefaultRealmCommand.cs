using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Users.Resolvers.Administration;

/// <summary>Makes a realm the default (<c>POST /defaultrealm/&lt;name&gt;</c>): logins without a realm look there.</summary>
public sealed class SetDefaultRealmCommand(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, UseCaseGuard guard)
{
    public async Task<Result<RealmView>> ExecuteAsync(Actor actor, string name, CancellationToken ct = default) =>
        await guard.RunAsync(actor, Permission.ManageUsers, ResolverErrors.ManageForbidden,
            refusal => AuditEvent.Failed(AuditActions.RealmSet, $"Default realm '{name}' refused: {refusal.Message}"),
            () => SetAsync(actor, name, ct), ct);

    private async Task<Result<RealmView>> SetAsync(Actor actor, string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var record = await db.Realms.FirstOrDefaultAsync(r => r.Name == name, ct);
        if (record is null)
        {
            return ResolverErrors.RealmNotFound(name);
        }
        await db.Realms.Where(r => r.IsDefault && r.Id != record.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.IsDefault, false), ct);
        record.IsDefault = true;
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.RealmSet, $"Realm '{name}' is now the default realm."));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return ListRealmsQuery.ToView(record);
    }
}
