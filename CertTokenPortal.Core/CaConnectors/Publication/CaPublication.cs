using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using CertTokenPortal.Core.CaConnectors.Local.Administration;

namespace CertTokenPortal.Core.CaConnectors.Publication;

/// <summary>
/// What relying parties fetch without logging in: CA certificates, CRLs and OCSP answers, as the URLs in issued
/// certificates point to them. Public by nature, so no actor and no audit.
/// </summary>
public sealed class CaPublication(IDbContextFactory<PortalDbContext> dbFactory, ICaConnectorRegistry registry)
{
    /// <summary>The CA certificate, DER.</summary>
    public async Task<Result<byte[]>> GetCertificateAsync(string caName, CancellationToken ct = default)
    {
        var info = await GetCaCertificateQuery.FindAsync(dbFactory, caName, ct);
        return info is null
            ? PortalError.NotFound($"There is no CA named '{caName}'.")
            : X509Certificate2.CreateFromPem(info.CertificatePem).RawData;
    }

    /// <summary>The current CRL, DER.</summary>
    public async Task<Result<byte[]>> GetCrlAsync(string caName, CancellationToken ct = default)
    {
        var connector = await registry.GetAsync(caName, ct);
        if (!connector.TryGetValue(out var ca, out var error))
        {
            return error;
        }
        var crl = ca is ICrlPublisher publisher ? await publisher.GetCurrentCrlAsync(ct) : null;
        return crl is null ? PortalError.NotFound($"The CA '{caName}' publishes no CRL.") : crl.Der;
    }

    /// <summary>The DER OCSP response to a DER OCSP request.</summary>
    public async Task<Result<byte[]>> RespondOcspAsync(string caName, byte[] requestDer, CancellationToken ct = default)
    {
        var connector = await registry.GetAsync(caName, ct);
        if (!connector.TryGetValue(out var ca, out var error))
        {
            return error;
        }
        return ca is IOcspResponder responder
            ? await responder.RespondAsync(requestDer, ct)
            : PortalError.NotFound($"The CA '{caName}' runs no OCSP responder.");
    }
}
