using System.Security.Cryptography;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Pending;

/// <summary>
/// Decides an uploaded certificate that waits because the owner's policy sends their requests through an approval.
/// No CA is asked (none issued it): approval takes the kept certificate into use, denial marks the token denied.
/// The claim is the same conditional update as for CA requests, so of two approvers exactly one decides.
/// </summary>
public sealed class PendingUploadDecision(PendingTokenTransition transition, IAuditLog audit,
    Notifications.TokenNotifications notifications, TimeProvider clock)
{
    /// <summary>The request id a waiting upload shows (<c>info.requestId</c>), like an approval CA's <c>APR-...</c>.</summary>
    public static string NewRequestId() => $"UPL-{Convert.ToHexString(RandomNumberGenerator.GetBytes(8))}";

    public async Task<Result<TokenView>> DecideAsync(PortalDbContext db, Actor actor, CertificateToken pending, bool approve,
        string? reason, string action, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (approve && pending.NotAfter is { } notAfter && notAfter < now)
        {
            return PortalError.Conflict($"The uploaded certificate of token {pending.Serial} expired on {notAfter:u} while it waited; deny the request instead.");
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await transition.ClaimAsync(db, pending.Id, ct))
        {
            return PortalError.Conflict($"The request of token {pending.Serial} was decided a moment ago.");
        }
        var token = await db.Tokens.SingleAsync(t => t.Id == pending.Id, ct);
        token.RolloutState = approve ? RolloutState.Enrolled : RolloutState.Denied;
        token.Active = approve;
        token.FailureMessage = approve ? null : reason;
        token.UpdatedAt = now;
        token.Version = Guid.NewGuid();
        audit.Add(db, actor, AuditEvent.Succeeded(action, approve
            ? $"Approved uploaded certificate {token.CertificateSerial} ({token.RequestId}) of token {token.Serial} for {token.Subject}."
            : $"Denied uploaded certificate {token.CertificateSerial} ({token.RequestId}) of token {token.Serial}: {reason}").For(token));
        await notifications.RequestDecidedAsync(db, actor, token, approve, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TokenView.From(token);
    }
}
