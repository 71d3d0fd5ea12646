using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Pending;

/// <summary>
/// An admin approves or denies the pending request of an approval-gated CA. In a fixed order: validate, authorize
/// (an admin, and never for a request made by or for themself), check the token is pending, let the CA decide (it
/// keeps the decision in its own store, where of two concurrent deciders exactly one wins, and issues), then — in
/// one transaction — claim the token, record the certificate with its ledger line, and audit.
/// </summary>
public sealed class DecidePendingRequestCommand(
    IDbContextFactory<PortalDbContext> dbFactory,
    ICaConnectorRegistry caConnectors,
    PendingTokenTransition transition,
    PendingUploadDecision uploads,
    IAuditLog audit, UseCaseGuard guard,
    Notifications.TokenNotifications notifications,
    Renewal.PendingRenewalDecision renewals)
{
    public const int MaxReasonLength = 512;

    public Task<Result<TokenView>> ExecuteAsync(Actor actor, DecisionRequest request, CancellationToken ct = default) =>
        DecideAsync(actor, request.Serial, request.Approve, request.Approve ? null : request.Reason, ct);

    private async Task<Result<TokenView>> DecideAsync(Actor actor, string serial, bool approve, string? reason, CancellationToken ct)
    {
        var action = approve ? AuditActions.TokenApprove : AuditActions.TokenDeny;
        return await guard.RunAsync(actor, Permission.DecideApprovals, TokenErrors.NotAllowedToDecide,
            refusal => AuditEvent.Failed(action, $"{(approve ? "Approval" : "Denial")} refused: {refusal.Message}") with { Serial = serial },
            () => DecideCheckedAsync(actor, serial, approve, reason?.Trim(), action, ct), ct);
    }

    private async Task<Result<TokenView>> DecideCheckedAsync(Actor actor, string serial, bool approve, string? reason, string action, CancellationToken ct)
    {
        if (!TokenSerials.IsWellFormed(serial))
        {
            return PortalError.Validation("Give the serial of the pending token.");
        }
        if (!approve && string.IsNullOrEmpty(reason))
        {
            return PortalError.Validation("Say why the request is denied ('reason'); the requester will read it.");
        }
        if (reason is { Length: > MaxReasonLength })
        {
            return PortalError.Validation($"The reason is longer than {MaxReasonLength} characters.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Serial == serial, ct);
        if (token is null)
        {
            return TokenAccess.NotFound(serial);
        }
        if (PendingDecisionRules.CheckMayDecide(actor, token.Serial, token.OwnerUserName, token.CreatedBy) is { } notYours)
        {
            return notYours;
        }
        if (token.RolloutState == RolloutState.Pending && token.EnrolmentMode == EnrolmentModes.Certificate)
        {
            return await uploads.DecideAsync(db, actor, token, approve, reason, action, ct);
        }
        if (token.RolloutState == RolloutState.Enrolled && await Renewal.PendingRenewalDecision.FindAsync(db, token.Id, ct) is { } renewal)
        {
            // A renewal waits while the token keeps its certificate.
            return (await caConnectors.GetAsync(token.CaName ?? "", ct)).TryGetValue(out var renewalCa, out _) && renewalCa is IManualApproval renewalApproval
                ? await renewals.DecideAsync(db, actor, renewal, renewalApproval, approve, reason, ct)
                : PortalError.Conflict($"The renewal of token {serial} waits for the CA '{token.CaName}', which cannot be decided here.");
        }
        if (token.RolloutState != RolloutState.Pending || token.RequestId is null || token.CaName is null)
        {
            return PortalError.Conflict($"Token {serial} is not pending (it is {token.RolloutState.ToName()}); only a pending request can be approved or denied.");
        }
        var connector = await caConnectors.GetAsync(token.CaName, ct);
        if (!connector.TryGetValue(out var ca, out _))
        {
            return PortalError.Conflict($"The request of token {serial} cannot be decided: its CA '{token.CaName}' does not exist any more.");
        }
        if (ca is not IManualApproval approval)
        {
            return PortalError.Conflict($"Token {serial} waits for the CA '{token.CaName}', which decides on its own; it cannot be approved or denied here.");
        }

        var decision = new PendingDecision(token.RequestId, token.Serial, actor.UserName, approve ? null : reason);
        var decided = approve
            ? await approval.ApproveAsync(decision, ct)
            : await approval.DenyAsync(decision, ct);
        if (!decided.TryGetValue(out var outcome, out var caError))
        {
            return caError;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await transition.ClaimAsync(db, token.Id, ct))
        {
            // Decided by the CA's own poller meanwhile; what the CA answered it recorded alike.
            return PortalError.Conflict($"The request of token {serial} was decided a moment ago.");
        }
        var updated = await transition.ApplyAsync(db, token.Id, outcome, ct);
        audit.Add(db, actor, AuditEvent.Succeeded(action, updated.RolloutState switch
        {
            RolloutState.Enrolled => $"Approved request {token.RequestId} of token {serial}: CA '{token.CaName}' issued certificate {updated.CertificateSerial} for {updated.Subject}.",
            RolloutState.Denied => $"Denied request {token.RequestId} of token {serial}: {updated.FailureMessage}",
            _ => $"Decided request {token.RequestId} of token {serial}: it is {updated.RolloutState.ToName()} ({updated.FailureMessage}).",
        }).For(token));
        if (updated.RolloutState is RolloutState.Enrolled or RolloutState.Denied)
        {
            await notifications.RequestDecidedAsync(db, actor, updated, updated.RolloutState == RolloutState.Enrolled, ct);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TokenView.From(updated);
    }
}

/// <summary>Approve (<see cref="Approve"/>) or deny, with a reason the requester reads, the pending request of token <see cref="Serial"/>.</summary>
public sealed record DecisionRequest(string Serial, bool Approve, string? Reason = null);
