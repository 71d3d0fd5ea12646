using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>
/// A CA whose pending requests a person decides in the portal (like a Microsoft CA template that needs a CA
/// manager's approval). The token service checks who may decide; the connector records the decision and, on
/// approval, issues — both on the caller's <see cref="PortalDbContext"/>, so that they commit with the token.
/// </summary>
public interface IManualApproval
{
    /// <summary>
    /// Issues the certificate of a pending request. <see cref="ErrorKind.Conflict"/> when the request is no longer
    /// pending (of two concurrent decisions exactly one succeeds) or can no longer be issued.
    /// </summary>
    Task<Result<CaIssueOutcome>> ApproveAsync(PortalDbContext db, PendingDecision decision, CancellationToken cancellationToken);

    /// <summary>Refuses a pending request with <see cref="PendingDecision.Reason"/>; a Conflict when it is no longer pending.</summary>
    Task<Result<CaIssueOutcome>> DenyAsync(PortalDbContext db, PendingDecision decision, CancellationToken cancellationToken);
}

/// <summary>A decision on one pending request: which request, for which token, by whom, and (for a denial) why.</summary>
public sealed record PendingDecision(string RequestId, string TokenSerial, string DecidedBy, string? Reason = null);
