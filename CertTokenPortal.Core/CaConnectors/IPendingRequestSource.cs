namespace CertTokenPortal.Core.CaConnectors;

/// <summary>
/// A CA whose requests can stay undecided. A background service polls <see cref="CheckAsync"/> for pending tokens
/// and applies the same state changes an approval would.
/// </summary>
public interface IPendingRequestSource
{
    /// <summary>
    /// Asks the CA what became of a request: still pending, issued (with the ledger entry to record), denied, or failed.
    /// Reads only; the portal records the answer.
    /// </summary>
    Task<CaIssueOutcome> CheckAsync(string requestId, CancellationToken cancellationToken);
}
