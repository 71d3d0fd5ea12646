using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>
/// privacyIDEA's <c>/token/unassign</c>: the token loses its owner and keeps its realm, so that only admins and
/// helpdesk see it until it is assigned again. The certificate stays as it is: revoking is a separate, explicit step.
/// </summary>
public sealed class UnassignTokenCommand(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, UseCaseGuard guard, TimeProvider clock)
{
    public Task<Result<TokenView>> ExecuteAsync(Actor actor, string serial, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.EnrolForOthers, PortalError.Forbidden("Only admins and helpdesk staff may unassign tokens."),
            refusal => AuditEvent.Failed(AuditActions.TokenUpdate, $"Unassigning token {serial} refused: {refusal.Message}") with { Serial = serial },
            () => UnassignAsync(actor, serial, ct), ct);

    private async Task<Result<TokenView>> UnassignAsync(Actor actor, string serial, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = TokenSerials.IsWellFormed(serial) ? await db.Tokens.FirstOrDefaultAsync(t => t.Serial == serial, ct) : null;
        if (token is null)
        {
            return TokenAccess.NotFound(serial);
        }
        if (token.OwnerUserName.Length == 0)
        {
            return PortalError.Validation($"Token {serial} has no owner to remove.");
        }
        var former = $"{token.OwnerUserName}@{token.OwnerRealm}";
        token.OwnerUserName = "";
        token.OwnerId = null;
        token.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        token.Version = Guid.NewGuid();
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.TokenUpdate, $"Token {serial} unassigned from {former}.").For(token));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return PortalError.Conflict($"Token {serial} was changed at the same moment by someone else; reload and try again.");
        }
        return TokenView.From(token);
    }
}
