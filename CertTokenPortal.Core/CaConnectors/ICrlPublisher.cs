namespace CertTokenPortal.Core.CaConnectors;

/// <summary>A CA that publishes certificate revocation lists.</summary>
public interface ICrlPublisher
{
    /// <summary>Makes and stores a new CRL with the next CRL number, from the CA's current revocations.</summary>
    Task<CrlInfo> PublishCrlAsync(CancellationToken cancellationToken);

    /// <summary>The CRL published last, or null when none was published yet.</summary>
    Task<CrlInfo?> GetCurrentCrlAsync(CancellationToken cancellationToken);
}
