using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>The small changes to a token: description, PIN, enable and disable. Each is authorized and audited the same way.</summary>
public sealed class UpdateTokenCommand(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, TimeProvider clock)
{
    public const int MaxDescriptionLength = 1024;

    public Task<Result<TokenView>> SetDescriptionAsync(Actor actor, string serial, string? description, CancellationToken ct = default) =>
        UpdateAsync(actor, serial, token =>
        {
            var text = description?.Trim() ?? "";
            if (text.Length > MaxDescriptionLength)
            {
                return PortalError.Validation($"A description may have at most {MaxDescriptionLength} characters.");
            }
            token.Description = text;
            return "Description changed.";
        }, ct);

    /// <summary>Sets the token PIN (kept only as a hash). It does not re-encrypt a stored PKCS#12, which keeps its passphrase.</summary>
    public Task<Result<TokenView>> SetPinAsync(Actor actor, string serial, string? pin, CancellationToken ct = default) =>
        UpdateAsync(actor, serial, token =>
        {
            if (string.IsNullOrEmpty(pin))
            {
                return PortalError.Validation("Give the new PIN ('pin').");
            }
            token.PinHash = TokenPins.Hash(pin);
            return "PIN changed.";
        }, ct);

    public Task<Result<TokenView>> SetActiveAsync(Actor actor, string serial, bool active, CancellationToken ct = default) =>
        UpdateAsync(actor, serial, token =>
        {
            if (active && token.Revoked)
            {
                return PortalError.Conflict($"Token {serial} is revoked and cannot be enabled again.");
            }
            if (active && token.RolloutState != RolloutState.Enrolled)
            {
                return PortalError.Conflict($"Token {serial} is {token.RolloutState.ToName()}; only enrolled tokens can be enabled.");
            }
            token.Active = active;
            return active ? "Enabled." : "Disabled.";
        }, ct);

    /// <summary>Loads the token, checks access, applies <paramref name="change"/> and saves it with its audit entry.
    /// The token's version makes a concurrent change fail rather than be overwritten.</summary>
    private async Task<Result<TokenView>> UpdateAsync(Actor actor, string serial, Func<CertificateToken, Result<string>> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = TokenSerials.IsWellFormed(serial) ? await db.Tokens.FirstOrDefaultAsync(t => t.Serial == serial, ct) : null;
        var error = token is null ? TokenAccess.NotFound(serial ?? "") : TokenAccess.CheckUpdate(actor, token);
        var message = "";
        if (error is null)
        {
            var changed = change(token!);
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
            await audit.RecordAsync(actor, AuditEvent.Failed(AuditActions.TokenUpdate, $"Change refused: {error.Message}") with { Serial = serial }, ct);
            return error;
        }

        token!.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        token.Version = Guid.NewGuid();
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.TokenUpdate, $"Token {serial}: {message}") with
        {
            Serial = serial, TargetUser = token.OwnerUserName, CaName = token.CaName,
        });
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
