using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens.Pending;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>A renewal waiting at an approval CA, as the Pending page lists it beside new requests.</summary>
public sealed record PendingRenewalView(TokenView Token, string RequestId, string? Subject, string? KeyDescription,
    string RequestedBy, DateTime RequestedAt, string? Refusal);

/// <summary>The renewals that wait for an approver, oldest first (admins), with why the actor may not decide one.</summary>
public sealed class ListPendingRenewalsQuery(IDbContextFactory<PortalDbContext> dbFactory, UseCaseGuard guard)
{
    public const int Limit = 200;

    public Task<Result<IReadOnlyList<PendingRenewalView>>> ExecuteAsync(Actor actor, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.DecideApprovals, TokenErrors.NotAllowedToDecide,
            refusal => AuditEvent.Failed(AuditActions.TokenList, $"Listing pending renewals refused: {refusal.Message}"),
            () => ListAsync(actor, ct), ct);

    private async Task<Result<IReadOnlyList<PendingRenewalView>>> ListAsync(Actor actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.TokenCertificates.AsNoTracking()
            .Where(c => c.State == TokenCertificateStates.Pending && c.RequestId != null)
            .OrderBy(c => c.CreatedAt).Take(Limit).ToListAsync(ct);
        var serials = rows.Select(r => r.TokenSerial).ToList();
        var tokens = (await db.Tokens.AsNoTracking().Where(t => serials.Contains(t.Serial)).Select(TokenView.Projection).ToListAsync(ct))
            .ToDictionary(t => t.Serial);
        return rows.Where(r => tokens.ContainsKey(r.TokenSerial)).Select(r => new PendingRenewalView(
            tokens[r.TokenSerial], r.RequestId!, r.Subject, r.KeyDescription, r.CreatedBy, r.CreatedAt,
            PendingDecisionRules.CheckMayDecide(actor, r.TokenSerial, tokens[r.TokenSerial].UserName, r.CreatedBy)?.Message)).ToList();
    }
}
