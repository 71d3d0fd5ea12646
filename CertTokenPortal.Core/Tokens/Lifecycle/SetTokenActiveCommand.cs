using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Core.Tokens.Enrolment;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>
/// Enables or disables a token. Enabling makes one more active token, so <c>max_active_token_per_user</c> applies as it
/// does to an enrolment, under the same owner lock (else disable, enrol, enable would get round it).
/// </summary>
public sealed class SetTokenActiveCommand(
    IDbContextFactory<PortalDbContext> dbFactory, TokenUpdater updater, EffectivePolicyResolver policies, OwnerQuota quota, UseCaseGuard guard)
{
    public Task<Result<TokenView>> ExecuteAsync(Actor actor, string serial, bool active, CancellationToken ct = default) =>
        guard.RunAsync(actor, null, null, refusal => TokenUpdater.Refused(serial, refusal), () => SetActiveAsync(actor, serial, active, ct), ct);

    private async Task<Result<TokenView>> SetActiveAsync(Actor actor, string serial, bool active, CancellationToken ct)
    {
        var owner = active ? await OwnerOfAsync(serial, ct) : null;
        // Resolved before the owner's lock is taken, so that the lock is held only for the count; and only a quota
        // needs the lock at all; without one, enabling is an ordinary change.
        var policy = owner is null ? null : await policies.ResolveAsync(owner.Role, owner.Realm, ct);
        var quotaApplies = policy is not null && OwnerQuota.Applies(policy);
        if (quotaApplies)
        {
            // Before the transaction: the lock row is created in a unit of work of its own.
            await quota.EnsureLockRowAsync(owner!, ct);
        }
        return await updater.UpdateAsync(actor, serial, async (db, token) =>
        {
            if (active && token.Revoked)
            {
                return PortalError.TokenLocked($"Token {serial} is revoked and cannot be enabled again.");
            }
            if (active && token.RolloutState != RolloutState.Enrolled)
            {
                return PortalError.Conflict($"Token {serial} is {token.RolloutState.ToName()}; only enrolled tokens can be enabled.");
            }
            if (active && !token.Active && quotaApplies)
            {
                if (await quota.LockAndCheckAsync(db, owner!, policy!, ct, newToken: false) is { } quotaError)
                {
                    return quotaError;
                }
            }
            token.Active = active;
            return active ? "Enabled." : "Disabled.";
        }, serialized: quotaApplies, ct);
    }

    private async Task<CertificateOwner?> OwnerOfAsync(string serial, CancellationToken ct)
    {
        if (!TokenSerials.IsWellFormed(serial))
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var owner = await db.Tokens.AsNoTracking().Where(t => t.Serial == serial)
            .Select(t => new CertificateOwner(t.OwnerUserName, t.OwnerRealm, null))
            .FirstOrDefaultAsync(ct);
        // The owner's policy governs, as for an enrolment.
        return owner is null ? null : owner with { Role = await Enrolment.EnrolmentOwner.RoleOfAsync(db, owner.UserName, ct) };
    }
}
