using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens.Enrolment;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Pending;

/// <summary>
/// Moves a pending token to what its CA decided (enrolled with the certificate and its ledger line, denied, failed).
/// Shared by the admin's approve/deny and the background poller of external CAs, so both change tokens alike. Runs
/// inside the caller's transaction, after the CA was asked (never while the transaction holds a write lock); the claim is a conditional update, so that of two instances deciding one token (two
/// admins, two pollers) exactly one goes on — on SQLite and PostgreSQL alike, without any lock in memory.
/// </summary>
public sealed class PendingTokenTransition(TokenCertificateWriter certificateWriter, TimeProvider clock)
{
    /// <summary>Claims the token for a decision; false when it is no longer pending (decided by someone else).</summary>
    public async Task<bool> ClaimAsync(PortalDbContext db, long tokenId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.Tokens
            .Where(t => t.Id == tokenId && t.RolloutState == RolloutState.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.UpdatedAt, now)
                .SetProperty(t => t.Version, Guid.NewGuid()), ct);
        return changed == 1;
    }

    /// <summary>Applies the CA's decision to a claimed token (tracked in <paramref name="db"/>, saved by the caller).</summary>
    public async Task<CertificateToken> ApplyAsync(PortalDbContext db, long tokenId, CaIssueOutcome outcome, CancellationToken ct)
    {
        var token = await db.Tokens.SingleAsync(t => t.Id == tokenId, ct);
        switch (outcome)
        {
            case CaIssueOutcome.Issued issued:
                certificateWriter.Fill(token, issued.Certificate.Certificate);
                token.RolloutState = RolloutState.Enrolled;
                token.Active = true;
                token.FailureMessage = null;
                break;
            case CaIssueOutcome.Denied denied:
                token.RolloutState = RolloutState.Denied;
                token.Active = false;
                token.FailureMessage = denied.Reason;
                break;
            case CaIssueOutcome.Failed failed:
                token.RolloutState = RolloutState.Failed;
                token.Active = false;
                token.FailureMessage = failed.Message;
                break;
            default:
                throw new InvalidOperationException($"A pending token cannot move to {outcome}.");
        }
        token.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        token.Version = Guid.NewGuid();
        if (outcome is CaIssueOutcome.Issued { Certificate: var certificate })
        {
            EnrolmentRecorder.AddLedgerLine(db, token, certificate);
            EnrolmentRecorder.AddHistoryRow(db, token);
        }
        return token;
    }
}
