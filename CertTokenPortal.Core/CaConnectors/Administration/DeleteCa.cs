using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>Deletes a CA connector that issued nothing; a CA with issued certificates must stay to revoke them and publish CRLs.</summary>
public sealed class DeleteCa(IDbContextFactory<PortalDbContext> dbFactory, CaAdminAudit audit)
{
    public async Task<Result> ExecuteAsync(Actor actor, string name, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ManageCaConnectors))
        {
            return await audit.RefuseAsync(actor, AuditActions.CaDelete, name, CaAdminAudit.NotAllowed("delete CAs"), ct);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ca = await db.CaConnectors.SingleOrDefaultAsync(c => c.Name == name, ct);
        if (ca is null)
        {
            return await audit.RefuseAsync(actor, AuditActions.CaDelete, name, PortalError.NotFound($"There is no CA connector named '{name}'."), ct);
        }
        var issued = await db.IssuedCertificates.CountAsync(c => c.CaConnectorId == ca.Id, ct);
        if (issued > 0)
        {
            return await audit.RefuseAsync(actor, AuditActions.CaDelete, name,
                PortalError.Conflict($"The CA '{name}' has issued {issued} certificate(s) and cannot be deleted; it must stay to revoke them and publish CRLs."), ct);
        }
        var waiting = await db.Tokens.CountAsync(t => t.CaName == name && t.RolloutState == Tokens.RolloutState.Pending, ct);
        if (waiting > 0)
        {
            return await audit.RefuseAsync(actor, AuditActions.CaDelete, name,
                PortalError.Conflict($"The CA '{name}' has {waiting} request(s) waiting for a decision and cannot be deleted; approve or deny them first."), ct);
        }
        db.CaConnectors.Remove(ca); // the local CA row and the templates go with it (cascade)
        audit.Log.Add(db, actor, AuditEvent.Succeeded(AuditActions.CaDelete, $"Deleted CA connector '{name}'.") with { CaName = name });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The ledger's foreign key refuses the delete: a certificate was issued since the count above.
            return await audit.RefuseAsync(actor, AuditActions.CaDelete, name, PortalError.Conflict($"The CA '{name}' has just issued a certificate and cannot be deleted."), ct);
        }
        return Result.Success();
    }
}
