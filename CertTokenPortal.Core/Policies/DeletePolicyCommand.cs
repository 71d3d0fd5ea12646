using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Policies;

/// <summary>Removes a policy (admin); the audit entry keeps what it said.</summary>
public sealed class DeletePolicyCommand(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, UseCaseGuard guard)
{
    public async Task<Result> ExecuteAsync(Actor actor, string name, CancellationToken ct = default)
    {
        return await guard.RunAsync(actor, Permission.ManagePolicies, PolicyErrors.NotAllowedToDelete,
            refusal => AuditEvent.Failed(AuditActions.PolicyDelete, $"Deleting policy '{name}' refused: {refusal.Message}"),
            () => DeleteAsync(actor, name, ct), ct);
    }

    private async Task<Result> DeleteAsync(Actor actor, string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var policy = await db.Policies.SingleOrDefaultAsync(p => p.Name == name, ct);
        if (policy is null)
        {
            return PortalError.NotFound($"There is no policy named '{name}'.");
        }
        db.Policies.Remove(policy);
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.PolicyDelete, $"Policy '{name}' deleted; it said: {SetPolicyCommand.Describe(policy)}."));
        await db.SaveChangesAsync(ct);
        return Result.Success();
    }
}
