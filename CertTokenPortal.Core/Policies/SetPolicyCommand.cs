using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Policies;

/// <summary>
/// Creates or replaces a policy (admin). Everything is checked before anything is saved: the fields, the action
/// syntax, and that the policy does not contradict itself or the configured CAs. Every outcome is audited.
/// </summary>
public sealed class SetPolicyCommand(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, UseCaseGuard guard, TimeProvider clock)
{
    public async Task<Result<PolicyView>> ExecuteAsync(Actor actor, PolicyRequest request, CancellationToken ct = default)
    {
        return await guard.RunAsync(actor, Permission.ManagePolicies, PolicyErrors.NotAllowedToChange,
            refusal => AuditEvent.Failed(AuditActions.PolicySet, $"Policy '{request.Name}' refused: {refusal.Message}"),
            () => SetAsync(actor, request, ct), ct);
    }

    private async Task<Result<PolicyView>> SetAsync(Actor actor, PolicyRequest request, CancellationToken ct)
    {
        if ((PolicyRules.CheckName(request.Name) ?? PolicyRules.CheckPriority(request.Priority)) is { } invalid)
        {
            return invalid;
        }
        var scope = PolicyRules.ReadScope(request.Scope);
        var roles = PolicyRules.ReadRoles(request.Roles);
        var realms = PolicyRules.ReadRealms(request.Realms);
        var actions = PolicyActions.Parse(request.Action);
        if ((scope.Error ?? roles.Error ?? realms.Error ?? actions.Error) is { } fieldError)
        {
            return fieldError;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await PolicyConsistency.CheckAsync(db, actions.Value, ct) is { } contradiction)
        {
            return contradiction;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var policy = await db.Policies.SingleOrDefaultAsync(p => p.Name == request.Name, ct);
        var created = policy is null;
        if (policy is null)
        {
            policy = new EnrolmentPolicy { Name = request.Name, CreatedAt = now };
            db.Policies.Add(policy);
        }
        policy.Scope = scope.Value;
        policy.Action = actions.Value.Canonical;
        policy.Roles = roles.Value;
        policy.Realms = realms.Value;
        policy.Priority = request.Priority;
        policy.Active = request.Active;
        policy.UpdatedAt = now;
        policy.UpdatedBy = actor.UserName;

        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.PolicySet,
            $"Policy '{policy.Name}' {(created ? "created" : "replaced")}: {Describe(policy)}."));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (created)
        {
            // The unique name index: another admin created the same name a moment ago.
            return PortalError.Conflict($"A policy named '{request.Name}' was created at the same moment; look at it and save again.");
        }
        return PolicyView.From(policy);
    }

    internal static string Describe(EnrolmentPolicy p) =>
        $"scope {p.Scope}, action '{p.Action}', realms {(p.Realms.Length == 0 ? "all" : $"'{p.Realms}'")}, " +
        $"roles {(p.Roles.Length == 0 ? "all" : $"'{p.Roles}'")}, priority {p.Priority}, {(p.Active ? "active" : "inactive")}";
}
