using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>
/// A CA whose pending requests a person decides in the portal (like a Microsoft CA template that needs a CA
/// manager's approval). The token service checks who may decide and records the outcome with the token; the
/// connector keeps the decision in its own store (of two concurrent deciders exactly one wins there) and, on
/// approval, issues.
/// </summary>
public interface IManualApproval
{
    /// <summary>
    /// Issues the certificate of a pending request. <see cref="ErrorKind.Conflict"/> when the request is no longer
    /// pending (of two concurrent decisions exactly one succeeds) or can no longer be issued.
    /// </summary>
    Task<Result<CaIssueOutcome>> ApproveAsync(PendingDecision decision, CancellationToken cancellationToken);

    /// <summary>Refuses a pending request with <see cref="PendingDecision.Reason"/>; a Conflict when it is no longer pending.</summary>
    Task<Result<CaIssueOutcome>> DenyAsync(PendingDecision decision, CancellationToken cancellationToken);
}
