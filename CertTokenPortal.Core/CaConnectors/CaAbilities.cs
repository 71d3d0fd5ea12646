namespace CertTokenPortal.Core.CaConnectors;

/// <summary>A CA that publishes certificate revocation lists.</summary>
public interface ICrlPublisher
{
    /// <summary>Makes and stores a new CRL with the next CRL number, from the CA's current revocations.</summary>
    Task<CrlInfo> PublishCrlAsync(CancellationToken cancellationToken);

    /// <summary>The CRL published last, or null when none was published yet.</summary>
    Task<CrlInfo?> GetCurrentCrlAsync(CancellationToken cancellationToken);
}

/// <summary>A published CRL and its facts.</summary>
public sealed record CrlInfo(long Number, DateTime ThisUpdate, DateTime NextUpdate, int RevokedCount, byte[] Der);

/// <summary>A CA that answers RFC 6960 OCSP requests for the certificates it issued.</summary>
public interface IOcspResponder
{
    /// <summary>Answers a DER OCSP request with a DER OCSP response (which may itself be an error response).</summary>
    Task<byte[]> RespondAsync(byte[] requestDer, CancellationToken cancellationToken);
}

/// <summary>
/// A CA whose requests can stay undecided. A background service polls <see cref="CheckAsync"/> for pending tokens
/// and applies the same state changes an approval would.
/// </summary>
public interface IPendingRequestSource
{
    /// <summary>Asks the CA what became of a request: still pending, issued, denied, or failed.</summary>
    Task<CaIssueOutcome> CheckAsync(Persistence.PortalDbContext db, string requestId, CancellationToken cancellationToken);
}
