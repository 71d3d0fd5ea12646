using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Core.Tokens.Enrolment;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>
/// What the small token changes (description, PIN, enable and disable) share: load, authorize, apply, save with the
/// audit entry. Refusals are audited by each command's <see cref="UseCaseGuard"/>, as <see cref="Refused"/> says.
/// </summary>
public sealed class TokenUpdater(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, TimeProvider clock)
{
    /// <summary>The audit entry of a refused change to token <paramref name="serial"/>.</summary>
    public static AuditEvent Refused(string serial, PortalError refusal) =>
        AuditEvent.Failed(AuditActions.TokenUpdate, $"Change refused: {refusal.Message}") with { Serial = serial };

    /// <summary>Loads the token, checks access, applies <paramref name="change"/> and saves it with its audit entry.
    /// The token's version makes a concurrent change fail rather than be overwritten. <paramref name="serialized"/>
    /// runs it all in one transaction, for changes that take the owner's quota lock.</summary>
    public async Task<Result<TokenView>> UpdateAsync(Actor actor, string serial,
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
            return error;
        }

        var loadedVersion = token!.Version;
        token.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        token.Version = Guid.NewGuid();
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.TokenUpdate, $"Token {serial}: {message}").For(token));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e)
        {
            // A row the change adds can collide with one a concurrent change added first (the same info key), before
            // the token's version is compared; that is the same lost race, told by the version having moved on.
            if (e is not DbUpdateConcurrencyException && !await ChangedMeanwhileAsync(token.Id, loadedVersion, ct))
            {
                throw;
            }
            return PortalError.Conflict($"Token {serial} was changed at the same moment by someone else; reload and try again.");
        }
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }
        return TokenView.From(token);
    }

    private async Task<bool> ChangedMeanwhileAsync(long tokenId, Guid loadedVersion, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return !await db.Tokens.AnyAsync(t => t.Id == tokenId && t.Version == loadedVersion, ct);
    }

    public static Func<PortalDbContext, CertificateToken, Task<Result<string>>> Sync(Func<CertificateToken, Result<string>> change) =>
        (_, token) => Task.FromResult(change(token));
}
