using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>
/// Deletes a token. A certificate that is still valid is revoked first (cessationOfOperation) in the same
/// transaction, so that no certificate outlives its token; the CA's ledger keeps its record.
/// </summary>
public sealed class DeleteTokenCommand(
    IDbContextFactory<PortalDbContext> dbFactory, TokenRevoker revoker, IAuditLog audit, UseCaseGuard guard, TimeProvider clock)
{
    public async Task<Result> ExecuteAsync(Actor actor, string serial, CancellationToken ct = default)
    {
        return await guard.RunAsync(actor, null, null,
            refusal => AuditEvent.Failed(AuditActions.TokenDelete, $"Deletion refused: {refusal.Message}") with { Serial = serial },
            () => DeleteAsync(actor, serial, ct), ct);
    }

    private async Task<Result> DeleteAsync(Actor actor, string serial, CancellationToken ct)
    {
        if (!TokenSerials.IsWellFormed(serial))
        {
            return PortalError.Validation("Give the serial of the token to delete.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Serial == serial, ct);
        if (token is null)
        {
            return TokenAccess.NotFound(serial);
        }
        if (TokenAccess.CheckDelete(actor, token) is { } denied)
        {
            return denied;
        }

        var stillValid = !token.Revoked && token.CertificateSerial is not null && token.CaName is not null &&
                         token.NotAfter > clock.GetUtcNow().UtcDateTime;
        if (stillValid && await revoker.RevokeAtCaAsync(token, RevocationReason.CessationOfOperation, ct) is { IsSuccess: false } atCa)
        {
            return atCa.Error;
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // The info entries go with the token; said here rather than left to the database's cascade alone.
            await db.TokenInfo.Where(e => e.TokenId == token.Id).ExecuteDeleteAsync(ct);
            var deleted = await db.Tokens.Where(t => t.Id == token.Id).ExecuteDeleteAsync(ct);
            if (deleted == 0)
            {
                await transaction.RollbackAsync(ct);
                return TokenAccess.NotFound(serial);
            }
            audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.TokenDelete,
                stillValid ? $"Deleted token {serial}; its certificate {token.CertificateSerial} was revoked first (cessationOfOperation)."
                           : $"Deleted token {serial}.").For(token));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        if (stillValid)
        {
            await revoker.RepublishCrlAsync(token.CaName, ct);
        }
        return Result.Success();
    }
}
