using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Core.Tokens.Enrolment;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>The small changes to a token: description, PIN, enable and disable. Each is authorized and audited the same way.</summary>
public sealed class UpdateTokenCommand(
    IDbContextFactory<PortalDbContext> dbFactory, EffectivePolicyResolver policies, OwnerQuota quota, IAuditLog audit, TimeProvider clock)
{
    public const int MaxDescriptionLength = 1024;

    public Task<Result<TokenView>> SetDescriptionAsync(Actor actor, string serial, string? description, CancellationToken ct = default) =>
        UpdateAsync(actor, serial, Sync(token =>
        {
            var text = description?.Trim() ?? "";
            if (text.Length > MaxDescriptionLength)
            {
                return PortalError.Validation($"A description may have at most {MaxDescriptionLength} characters.");
            }
            token.Description = text;
            return "Description changed.";
        }), serialized: false, ct);

    /// <summary>Sets the token PIN (kept only as a hash). It does not re-encrypt a stored PKCS#12, which keeps its passphrase.</summary>
    public Task<Result<TokenView>> SetPinAsync(Actor actor, string serial, string? pin, CancellationToken ct = default) =>
        UpdateAsync(actor, serial, Sync(token =>
        {
            if (string.IsNullOrEmpty(pin))
            {
                return PortalError.Validation("Give the new PIN ('pin').");
            }
            token.PinHash = TokenPins.Hash(pin);
            return "PIN changed.";
        }), serialized: false, ct);

    /// <summary>
    /// Enables or disables a token. Enabling makes one more active token, so <c>max_active_token_per_user</c> applies as it
    /// does to an enrolment, under the same owner lock (else disable, enrol, enable would get round it).
    /// </summary>
    public async Task<Result<TokenView>> SetActiveAsync(Actor actor, string serial, bool active, CancellationToken ct = default)
    {
        var owner = active ? await OwnerOfAsync(serial, ct) : null;
        // Resolved before the owner's lock is taken, so that the lock is held only for the count; and only a quota
        // needs the lock at all; without one, enabling is an ordinary change.
        var policy = owner is null ? null : await policies.ResolveAsync(actor.Role, owner.Realm, ct);
        var quotaApplies = policy is not null && OwnerQuota.Applies(policy);
        if (quotaApplies)
        {
            // Before the transaction: the lock row is created in a unit of work of its own.
            await quota.EnsureLockRowAsync(owner!, ct);
        }
        return await UpdateAsync(actor, serial, async (db, token) =>
        {
            if (active && token.Revoked)
            {
                return PortalError.TokenLocked($"Token {serial} is revoked and cannot be enabled again; a revoked token is locked for every change.");
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

    /// <summary>Loads the token, checks access, applies <paramref name="change"/> and saves it with its audit entry.
    /// The token's version makes a concurrent change fail rather than be overwritten. <paramref name="serialized"/>
    /// runs it all in one transaction, for changes that take the owner's quota lock.</summary>
    private async Task<Result<TokenView>> UpdateAsync(Actor actor, string serial,
        Func<PortalDbContext, CertificateToken, Task<Result<string>>> change, bool serialized, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = serialized ? await db.Database.BeginTransactionAsync(ct) : null;
        var token = TokenSerials.IsWellFormed(serial) ? await db.Tokens.FirstOrDefaultAsync(t => t.Serial == serial, ct) : null;
        var error = token is null ? TokenAccess.NotFound(serial ?? "") : TokenAccess.CheckUpdate(actor, token);
        var message = "";
        if (error is null)
        {
            var changed = await change(db, token!);
            if (changed.IsSuccess)
            {
                message = changed.Value;
            }
            else
            {
                error = changed.Error;
            }
        }
        if (error is not null)
        {
            if (transaction is not null)
            {
                await transaction.RollbackAsync(ct);
            }
            await audit.RecordAsync(actor, AuditEvent.Failed(AuditActions.TokenUpdate, $"Change refused: {error.Message}") with { Serial = serial }, ct);
            return error;
        }

        token!.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        token.Version = Guid.NewGuid();
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.TokenUpdate, $"Token {serial}: {message}").For(token));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return PortalError.Conflict($"Token {serial} was changed at the same moment by someone else; reload and try again.");
        }
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }
        return TokenView.From(token);
    }

    private static Func<PortalDbContext, CertificateToken, Task<Result<string>>> Sync(Func<CertificateToken, Result<string>> change) =>
        (_, token) => Task.FromResult(change(token));

    private async Task<CertificateOwner?> OwnerOfAsync(string serial, CancellationToken ct)
    {
        if (!TokenSerials.IsWellFormed(serial))
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Tokens.AsNoTracking().Where(t => t.Serial == serial)
            .Select(t => new CertificateOwner(t.OwnerUserName, t.OwnerRealm, null))
            .FirstOrDefaultAsync(ct);
    }
}
