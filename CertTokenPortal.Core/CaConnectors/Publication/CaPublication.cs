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
public sealed class CaPublication(IDbContextFactory<PortalDbContext> dbFactory, ICaConnectorRegistry registry, PublicArtifactCache cache,
    OcspResponseCache ocspCache)
{
    /// <summary>The CA certificate, encoded once (DER and PEM); from memory while the CA is unchanged.</summary>
    public Task<Result<PublishedArtifact>> GetCertificateAsync(string caName, CancellationToken ct = default) =>
        cache.GetAsync(caName, PublicArtifactKind.CaCertificate, async loadCt =>
        {
            var info = await GetCaCertificateQuery.FindAsync(dbFactory, caName, loadCt);
            if (info is null)
            {
                return PortalError.NotFound($"There is no CA named '{caName}'.");
            }
            using var certificate = X509Certificate2.CreateFromPem(info.CertificatePem);
            return new PublishedArtifact(certificate.RawData, "CERTIFICATE", certificate.NotBefore.ToUniversalTime());
        }, ct);

    /// <summary>The current CRL, encoded once (DER and PEM); from memory until a new CRL is published.</summary>
    public Task<Result<PublishedArtifact>> GetCrlAsync(string caName, CancellationToken ct = default) =>
        cache.GetAsync(caName, PublicArtifactKind.Crl, async loadCt =>
        {
            var connector = await registry.GetAsync(caName, loadCt);
            if (!connector.TryGetValue(out var ca, out var error))
            {
                return error;
            }
            var crl = ca is ICrlPublisher publisher ? await publisher.GetCurrentCrlAsync(loadCt) : null;
            return crl is null
                ? PortalError.NotFound($"The CA '{caName}' publishes no CRL.")
                : new PublishedArtifact(crl.Der, "X509 CRL", DateTime.SpecifyKind(crl.ThisUpdate, DateTimeKind.Utc));
        }, ct);

    /// <summary>The DER OCSP response to a DER OCSP request; a kept one while no certificate of the CA changed status.</summary>
    public Task<Result<byte[]>> RespondOcspAsync(string caName, byte[] requestDer, CancellationToken ct = default) =>
        ocspCache.GetAsync(caName, requestDer, respondCt => RespondAsync(caName, requestDer, respondCt), ct);

    private async Task<Result<byte[]>> RespondAsync(string caName, byte[] requestDer, CancellationToken ct)
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
