using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors.Publication;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>Deletes a CA connector that issued nothing; a CA with issued certificates must stay to revoke them and publish CRLs.</summary>
public sealed class DeleteCaCommand(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, UseCaseGuard guard,
    PublicArtifactCache publicArtifacts)
{
    public Task<Result> ExecuteAsync(Actor actor, string name, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManageCaConnectors, CaErrors.NotAllowed("delete CAs"),
            refusal => AuditEvent.Failed(AuditActions.CaDelete, refusal.Message) with { CaName = name },
            () => ExecuteCheckedAsync(actor, name, ct), ct);

    private async Task<Result> ExecuteCheckedAsync(Actor actor, string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ca = await db.CaConnectors.SingleOrDefaultAsync(c => c.Name == name, ct);
        if (ca is null)
        {
            return PortalError.NotFound($"There is no CA connector named '{name}'.");
        }
        var issued = await db.IssuedCertificates.CountAsync(c => c.CaConnectorId == ca.Id, ct);
        if (issued > 0)
        {
            return PortalError.Conflict($"The CA '{name}' has issued {issued} certificate(s) and cannot be deleted; it must stay to revoke them and publish CRLs.");
        }
        var waiting = await db.Tokens.CountAsync(t => t.CaName == name && t.RolloutState == Tokens.RolloutState.Pending, ct);
        if (waiting > 0)
        {
            return PortalError.Conflict($"The CA '{name}' has {waiting} request(s) waiting for a decision and cannot be deleted; approve or deny them first.");
        }
        db.CaConnectors.Remove(ca); // the local CA row and the templates go with it (cascade)
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.CaDelete, $"Deleted CA connector '{name}'.") with { CaName = name });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The ledger's foreign key refuses the delete: a certificate was issued since the count above.
            return PortalError.Conflict($"The CA '{name}' has just issued a certificate and cannot be deleted.");
        }
        publicArtifacts.Invalidate();
        return Result.Success();
    }
}
