using CertTokenPortal.Core.Configuration;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.CaConnectors.Local;

/// <summary>What every local CA connector shares; one instance for the application.</summary>
public sealed class LocalCaServices(
    IDbContextFactory<PortalDbContext> dbFactory,
    LocalCaKeyStore keys,
    LocalCaLedger ledger,
    LocalCrlPublisher crls,
    CertificateFactory certificates,
    OcspResponseBuilder ocsp,
    TimeProvider clock,
    IOptions<PortalOptions> portalOptions)
{
    /// <summary>For connectors built on the local CA (the approval CA) to open their own unit of work.</summary>
    public IDbContextFactory<PortalDbContext> DbFactory => dbFactory;
    public LocalCaKeyStore Keys => keys;
    public LocalCaLedger Ledger => ledger;
    public LocalCrlPublisher Crls => crls;
    public CertificateFactory Certificates => certificates;
    public OcspResponseBuilder Ocsp => ocsp;
    public TimeProvider Clock => clock;
    public string PublicBaseUrl => portalOptions.Value.PublicBaseUrl;
}
