using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>
/// Staff release a token from hold (RFC 5280 certificateHold, the one revocation that can be undone), in the order of
/// revocation: validate, authorize, release at the CA, persist (token active, unlocked, not revoked, with its audit
/// entry, in one transaction), then republish the CRL without the entry; OCSP answers good from then on.
/// </summary>
public sealed class ReleaseTokenCommand(
    IDbContextFactory<PortalDbContext> dbFactory, ICaConnectorRegistry caConnectors, TokenRevoker revoker, IAuditLog audit, UseCaseGuard guard, TimeProvider clock)
{
    public async Task<Result<TokenView>> ExecuteAsync(Actor actor, string serial, CancellationToken ct = default) =>
        await guard.RunAsync(actor, Permission.RevokeAnyToken, TokenErrors.ReleaseNotAllowed,
            refusal => AuditEvent.Failed(AuditActions.TokenRelease, $"Release refused: {refusal.Message}") with { Serial = serial },
            () => ReleaseAsync(actor, serial, ct), ct);

    /// <summary>Whether the release button makes sense for <paramref name="token"/>.</summary>
    public static bool CanRelease(Actor actor, TokenView token) =>
        actor.Allows(Permission.RevokeAnyToken) && token.Revoked && token.RevocationReason == RevocationReason.CertificateHold.ToName();

    private async Task<Result<TokenView>> ReleaseAsync(Actor actor, string serial, CancellationToken ct)
    {
        if (!TokenSerials.IsWellFormed(serial))
        {
            return PortalError.Validation("Give the serial of the token to release ('serial').");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Serial == serial, ct);
        if (token is null)
        {
            return TokenAccess.NotFound(serial);
        }
        var hold = RevocationReason.CertificateHold.ToName();
        if (!token.Revoked || token.RevocationReason != hold)
        {
            return token.Revoked ? TokenErrors.RevocationIsFinal(serial, token.RevocationReason) : TokenErrors.NotOnHold(serial);
        }
        if (token.CaName is null || token.CertificateSerial is null ||
            !(await caConnectors.GetAsync(token.CaName, ct)).TryGetValue(out var ca, out _) || ca is not ICertificateHoldRelease releaser)
        {
            return PortalError.Conflict($"The CA of token {serial} cannot release certificates from hold.");
        }

        // At the CA first, in its own store, as revocation does. "Not on hold" there means a concurrent release got
        // ahead; the conditional update below then answers Conflict to exactly one of the two.
        var atCa = await releaser.ReleaseHoldAsync(token.CertificateSerial, ct);
        if (!atCa.IsSuccess && atCa.Error.Kind != ErrorKind.Conflict)
        {
            return atCa.Error;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // The condition makes the database the referee between two staff releasing (or revoking) at once.
            var marked = await db.Tokens
                .Where(t => t.Id == token.Id && t.Revoked && t.RevocationReason == hold)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.Revoked, false)
                    .SetProperty(t => t.Locked, false)
                    .SetProperty(t => t.Active, true)
                    .SetProperty(t => t.RevocationReason, (string?)null)
                    .SetProperty(t => t.RevokedAt, (DateTime?)null)
                    .SetProperty(t => t.UpdatedAt, now)
                    .SetProperty(t => t.Version, Guid.NewGuid()), ct);
            if (marked == 0)
            {
                return TokenErrors.NotOnHold(serial);
            }
            audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.TokenRelease,
                $"Released token {serial} (certificate {token.CertificateSerial}) from hold; it is valid again.").For(token));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        await revoker.RepublishCrlAsync(token.CaName, ct);
        return await db.Tokens.AsNoTracking().Where(t => t.Id == token.Id).Select(TokenView.Projection).FirstAsync(ct);
    }
}
