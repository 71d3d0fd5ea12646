using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>Finds the CRL ability of a CA by name, for the CRL use cases.</summary>
internal static class CrlPublishers
{
    /// <summary>The CRL ability of the CA named <paramref name="caName"/>, or why it has none.</summary>
    public static async Task<Result<ICrlPublisher>> FindAsync(ICaConnectorRegistry registry, string caName, CancellationToken ct)
    {
        var connector = await registry.GetAsync(caName, ct);
        if (!connector.TryGetValue(out var ca, out var error))
        {
            return error;
        }
        return ca is ICrlPublisher publisher
            ? Result<ICrlPublisher>.Success(publisher)
            : PortalError.Validation($"The CA '{caName}' ({ca.Type}) does not publish CRLs.");
    }
}
