using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.History;

/// <summary>What kind of step in a token's life an entry is; the timeline picks its icon and words from it.</summary>
public enum TokenHistoryKind
{
    Enrolment,
    Approval,
    Denial,
    Renewal,
    Rekey,
    Hold,
    Release,
    Revocation,
    Download,
    Change,
    Attestation,
    Mail,
}

/// <summary>One step in a token's life: what happened, who did it, when, and whether it worked.</summary>
public sealed record TokenHistoryEntry(DateTime When, string Who, string Role, TokenHistoryKind Kind, bool Success, string Message);

/// <summary>
/// A token's timeline from the audit log: enrolment, decisions, renewals, rekeys, holds, releases, revocation,
/// downloads and changes, newest first. Who may view the token may read it; refused attempts are shown to staff only.
/// </summary>
public sealed class TokenHistoryQuery(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int MaxEntries = 500;

    private static readonly Dictionary<string, TokenHistoryKind> Kinds = new()
    {
        [AuditActions.TokenEnrol] = TokenHistoryKind.Enrolment,
        [AuditActions.TokenApprove] = TokenHistoryKind.Approval,
        [AuditActions.TokenDeny] = TokenHistoryKind.Denial,
        [AuditActions.TokenRenew] = TokenHistoryKind.Renewal,
        [AuditActions.TokenRekey] = TokenHistoryKind.Rekey,
        [AuditActions.TokenRelease] = TokenHistoryKind.Release,
        [AuditActions.TokenRevoke] = TokenHistoryKind.Revocation,
        [AuditActions.TokenDownloadPkcs12] = TokenHistoryKind.Download,
        [AuditActions.TokenDownloadCertificate] = TokenHistoryKind.Download,
        [AuditActions.TokenUpdate] = TokenHistoryKind.Change,
        [AuditActions.TokenAttestation] = TokenHistoryKind.Attestation,
        [AuditActions.NotificationSend] = TokenHistoryKind.Mail,
    };

    public async Task<Result<IReadOnlyList<TokenHistoryEntry>>> ExecuteAsync(Actor actor, string serial, CancellationToken ct = default)
    {
        if (!TokenSerials.IsWellFormed(serial))
        {
            return PortalError.Validation("Give the serial of a token.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Serial == serial, ct);
        if (token is null)
        {
            return TokenAccess.NotFound(serial);
        }
        if (TokenAccess.CheckView(actor, token) is { } denied)
        {
            return denied;
        }
        var actions = Kinds.Keys.ToList();
        var staff = actor.Allows(Permission.ViewAllTokens);
        var rows = await db.AuditEntries.AsNoTracking()
            .Where(a => a.Serial == serial && actions.Contains(a.Action) && (staff || a.Success || a.Action == AuditActions.TokenEnrol || a.Action == AuditActions.TokenDeny))
            // Refusals of a serial-only request do not belong to this token's life when they came before it existed.
            .Where(a => a.Timestamp >= token.CreatedAt.AddSeconds(-1))
            .OrderByDescending(a => a.Timestamp).ThenByDescending(a => a.Id)
            .Take(MaxEntries)
            .ToListAsync(ct);
        return rows.Select(a => new TokenHistoryEntry(a.Timestamp, a.UserName, a.Role, KindOf(a), a.Success, a.Message)).ToList();
    }

    /// <summary>A revocation with the reason certificateHold is a hold; the revoke message names the reason.</summary>
    private static TokenHistoryKind KindOf(AuditEntry entry)
    {
        var kind = Kinds[entry.Action];
        return kind == TokenHistoryKind.Revocation && entry.Message.Contains("certificateHold", StringComparison.Ordinal)
            ? TokenHistoryKind.Hold
            : kind;
    }
}
