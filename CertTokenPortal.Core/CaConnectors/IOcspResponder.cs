namespace CertTokenPortal.Core.CaConnectors;

/// <summary>A CA that answers RFC 6960 OCSP requests for the certificates it issued.</summary>
public interface IOcspResponder
{
    /// <summary>Answers a DER OCSP request with a DER OCSP response (which may itself be an error response).</summary>
    Task<byte[]> RespondAsync(byte[] requestDer, CancellationToken cancellationToken);
}
