using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>
/// Revokes a token in the fixed order: validate, authorize, revoke at the CA, persist (token revoked, locked,
/// inactive, with its audit entry, in one transaction), then republish the CA's CRL before answering.
/// </summary>
public sealed class RevokeTokenCommand(
    IDbContextFactory<PortalDbContext> dbFactory, TokenRevoker revoker, EffectivePolicyResolver policies, IAuditLog audit, UseCaseGuard guard,
    Notifications.TokenNotifications notifications)
{
    public async Task<Result<TokenView>> ExecuteAsync(Actor actor, string serial, string? reasonName, CancellationToken ct = default)
    {
        return await guard.RunAsync(actor, null, null,
            refusal => AuditEvent.Failed(AuditActions.TokenRevoke, $"Revocation refused: {refusal.Message}") with { Serial = serial },
            () => RevokeAsync(actor, serial, reasonName, ct), ct);
    }

    private async Task<Result<TokenView>> RevokeAsync(Actor actor, string serial, string? reasonName, CancellationToken ct)
    {
        if (!TokenSerials.IsWellFormed(serial))
        {
            return PortalError.Validation("Give the serial of the token to revoke ('serial').");
        }
        if (!RevocationReasons.TryParse(reasonName, out var reason))
        {
            return PortalError.Validation($"'{reasonName}' is not a revocation reason; use one of: {string.Join(", ", RevocationReasons.AllNames)}.");
        }
        if (!RevocationReasons.MayGive(actor, reason))
        {
            return TokenErrors.CaCompromiseAdminsOnly;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Serial == serial, ct);
        if (token is null)
        {
            return TokenAccess.NotFound(serial);
        }
        var policy = await policies.ForRevocationAsync(actor, token.OwnerRealm, ct);
        if (TokenAccess.CheckRevoke(actor, token, policy) is { } denied)
        {
            return denied;
        }
        if (token.Revoked)
        {
            return TokenErrors.AlreadyRevoked(serial);
        }

        var atCa = await revoker.RevokeAtCaAsync(token, reason, ct);
        if (!atCa.IsSuccess)
        {
            return atCa.Error;
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var revoked = await revoker.MarkRevokedAsync(db, token, reason, ct);
            if (!revoked.IsSuccess)
            {
                await transaction.RollbackAsync(ct);
                return revoked.Error;
            }
            audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.TokenRevoke,
                $"Revoked token {serial} (certificate {token.CertificateSerial ?? "none"}) for '{reason.Label()}' ({reason.ToName()})" +
                (token.CaName is null ? "; no CA was asked: the certificate was uploaded." : ".")).For(token));
            await notifications.RevokedAsync(db, actor, token, reason.ToName(), ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        await revoker.RepublishCrlAsync(token.CaName, ct);
        var updated = await db.Tokens.AsNoTracking().Where(t => t.Id == token.Id).Select(TokenView.Projection).FirstAsync(ct);
        return updated;
    }
}
