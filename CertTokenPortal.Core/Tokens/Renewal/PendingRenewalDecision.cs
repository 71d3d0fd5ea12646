using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>
/// Approves or denies a renewal that waits at an approval CA, for <c>DecidePendingRequestCommand</c> (which has
/// checked the permission and that the approver is neither owner nor requester). The CA decides first (in its own
/// store, one winner); then one transaction claims the pending row (a conditional update) and, when approved, puts
/// the certificate into the token as any renewal does. A denial leaves the token with its certificate.
/// </summary>
public sealed class PendingRenewalDecision(CertificateReplacement replacement, IAuditLog audit, SupersededRevoker superseded, TimeProvider clock)
{
    public static Task<TokenCertificate?> FindAsync(PortalDbContext db, long tokenId, CancellationToken ct) =>
        db.TokenCertificates.AsNoTracking().FirstOrDefaultAsync(c => c.TokenId == tokenId && c.State == TokenCertificateStates.Pending, ct);

    public async Task<Result<TokenView>> DecideAsync(PortalDbContext db, Actor actor, TokenCertificate pending, IManualApproval approval,
        bool approve, string? reason, CancellationToken ct)
    {
        var owner = await db.Tokens.AsNoTracking().Where(t => t.Id == pending.TokenId).Select(t => t.OwnerUserName).FirstAsync(ct);
        if (Pending.PendingDecisionRules.CheckMayDecide(actor, pending.TokenSerial, owner, pending.CreatedBy) is { } notYours)
        {
            return notYours; // the renewal's requester, like the enrolment's, does not approve their own request
        }
        var decision = new PendingDecision(pending.RequestId!, pending.TokenSerial, actor.UserName, approve ? null : reason);
        if (!(approve ? await approval.ApproveAsync(decision, ct) : await approval.DenyAsync(decision, ct)).TryGetValue(out var outcome, out var caError))
        {
            return caError;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var issued = outcome as CaIssueOutcome.Issued;
        var why = outcome switch
        {
            CaIssueOutcome.Denied denied => denied.Reason,
            CaIssueOutcome.Failed failed => failed.Message,
            _ => null,
        };
        TokenCertificate? replaced = null;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var claimed = await db.TokenCertificates
                .Where(c => c.Id == pending.Id && c.State == TokenCertificateStates.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, TokenCertificateStates.Denied).SetProperty(c => c.Reason, why ?? $"approved by {actor.UserName}"), ct);
            if (claimed == 0)
            {
                return PortalError.Conflict($"The renewal of token {pending.TokenSerial} was decided a moment ago.");
            }
            var token = await db.Tokens.SingleAsync(t => t.Id == pending.TokenId, ct);
            if (issued is not null)
            {
                // The approved request becomes the token's certificate; its pending row is dropped for the current one.
                await db.TokenCertificates.Where(c => c.Id == pending.Id).ExecuteDeleteAsync(ct);
                var grace = await db.CertificateTemplates.AsNoTracking()
                    .Where(t => t.CaConnector.Name == token.CaName && t.Name == pending.TemplateName)
                    .Select(t => t.SupersededGraceDays).FirstOrDefaultAsync(ct);
                replaced = await replacement.ReplaceAsync(db, token, issued.Certificate, pending.Origin, grace, null, pending.CreatedBy, ct);
                token.EnrolmentMode = EnrolmentModes.Request;
                token.EncryptedPkcs12 = null;
            }
            audit.Add(db, actor, AuditEvent.Succeeded(approve ? AuditActions.TokenApprove : AuditActions.TokenDeny, issued is not null
                ? $"Approved renewal request {pending.RequestId} of token {token.Serial}: certificate {token.CertificateSerial} replaces {replaced!.CertificateSerial}, {CertificateReplacement.Fate(replaced)}"
                : $"Renewal request {pending.RequestId} of token {token.Serial} not issued: {why}; the token keeps its certificate.").For(token));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        if (replaced?.RevokeAfter is { } due && due <= now)
        {
            await superseded.RevokeDueAsync(pending.TokenId, ct);
        }
        return await db.Tokens.AsNoTracking().Where(t => t.Id == pending.TokenId).Select(TokenView.Projection).FirstAsync(ct);
    }
}
