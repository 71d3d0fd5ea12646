using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Attestation;

/// <summary>Removes a trusted attestation root (admins only); audited, refusals too.</summary>
public sealed class DeleteAttestationRootCommand(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, UseCaseGuard guard)
{
    public Task<Result> ExecuteAsync(Actor actor, string name, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManagePolicies, AttestationErrors.NotAllowedToRemove,
            refusal => AuditEvent.Failed(AuditActions.AttestationRootDelete, $"Removing attestation root '{name}' refused: {refusal.Message}"),
            () => DeleteAsync(actor, name, ct), ct);

    private async Task<Result> DeleteAsync(Actor actor, string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var root = await db.AttestationRoots.SingleOrDefaultAsync(r => r.Name == name, ct);
        if (root is null)
        {
            return AttestationErrors.NoSuchRoot(name);
        }
        db.AttestationRoots.Remove(root);
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.AttestationRootDelete, $"Attestation root '{name}' ({root.Subject}, SHA-256 {root.Thumbprint}) removed."));
        await db.SaveChangesAsync(ct);
        return Result.Success();
    }
}
