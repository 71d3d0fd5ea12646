using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>A CA that can hand out its own certificate and the certificates above it.</summary>
public interface ICaCertificateChain
{
    /// <summary>The CA certificate first, then its issuers up to the root.</summary>
    Task<IReadOnlyList<X509Certificate2>> GetChainAsync(CancellationToken cancellationToken);
}
