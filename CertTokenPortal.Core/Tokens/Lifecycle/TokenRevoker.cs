using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>
/// The revocation steps shared by revoke and delete, in their fixed order: revoke at the CA (which commits in the
/// CA's own store, before the caller opens its transaction), mark the token inside the caller's transaction, and
/// after the commit republish the CA's CRL.
/// </summary>
public sealed partial class TokenRevoker(ICaConnectorRegistry caConnectors, TimeProvider clock, ILogger<TokenRevoker> logger)
{
    /// <summary>
    /// Revokes the token's certificate at its CA; call it before opening the transaction that marks the token (a CA
    /// may be slow, and the local CA writes its ledger in a unit of work of its own). A certificate the CA already
    /// holds revoked is not an error here: either a concurrent revocation is about to mark the token (and
    /// <see cref="MarkRevokedAsync"/> then answers Conflict to one of the two), or an earlier one stopped before it
    /// could, and this one finishes its work.
    /// </summary>
    public async Task<Result> RevokeAtCaAsync(CertificateToken token, RevocationReason reason, CancellationToken ct)
    {
        if (token.CaName is null || token.CertificateSerial is null)
        {
            return Result.Success(); // an uploaded certificate: no CA to tell
        }
        var connector = await caConnectors.GetAsync(token.CaName, ct);
        if (!connector.TryGetValue(out var ca, out var caError))
        {
            return PortalError.Conflict($"Token {token.Serial} cannot be revoked: its CA is gone ({caError.Message}).");
        }
        var atCa = await ca.RevokeAsync(new CaRevokeRequest(token.CertificateSerial, reason, clock.GetUtcNow().UtcDateTime), ct);
        return atCa.IsSuccess || atCa.Error.Kind == ErrorKind.Conflict ? Result.Success() : atCa.Error;
    }

    /// <summary>
    /// Marks the token revoked, locked and inactive, inside the caller's transaction on <paramref name="db"/>. Of two
    /// concurrent calls for one token, one gets a Conflict.
    /// </summary>
    public async Task<Result> MarkRevokedAsync(PortalDbContext db, CertificateToken token, RevocationReason reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        // The condition on Revoked makes the database the referee between concurrent revocations.
        var marked = await db.Tokens
            .Where(t => t.Id == token.Id && !t.Revoked)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Revoked, true)
                .SetProperty(t => t.Locked, true)
                .SetProperty(t => t.Active, false)
                .SetProperty(t => t.RevocationReason, reason.ToName())
                .SetProperty(t => t.RevokedAt, now)
                .SetProperty(t => t.UpdatedAt, now)
                .SetProperty(t => t.Version, Guid.NewGuid()), ct);
        if (marked == 0)
        {
            return TokenErrors.AlreadyRevoked(token.Serial);
        }
        return Result.Success();
    }

    /// <summary>Republishes the CA's CRL after a committed revocation. A failure here is logged, not returned: the
    /// revocation stands and the background CRL service publishes again.</summary>
    public async Task RepublishCrlAsync(string? caName, CancellationToken ct)
    {
        if (caName is null)
        {
            return;
        }
        try
        {
            var connector = await caConnectors.GetAsync(caName, ct);
            if (connector.IsSuccess && connector.Value is ICrlPublisher publisher)
            {
                await publisher.PublishCrlAsync(ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCrlFailure(logger, e, caName);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Publishing the CRL of CA {CaName} after a revocation failed; the CRL service will retry")]
    private static partial void LogCrlFailure(ILogger logger, Exception exception, string caName);
}
