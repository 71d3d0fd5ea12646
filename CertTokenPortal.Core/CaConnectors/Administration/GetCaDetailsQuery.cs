using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.CaConnectors.Templates;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using CertTokenPortal.Core.Configuration;
using CertTokenPortal.Core.CaConnectors.Local;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>One CA connector with its certificate, the chain above it, its templates and how much it issued.</summary>
public sealed record CaDetails(
    string Name,
    string Type,
    string? DefaultTemplate,
    IReadOnlyList<TemplateInfo> Templates,
    CertificateDetails? Certificate,
    IReadOnlyList<CertificateDetails> Chain,
    int IssuedCount,
    int? CrlValidityDays,
    int? CrlOverlapDays)
{
    /// <summary>
    /// Where relying parties fetch this CA's certificate and CRL and ask OCSP, as written into the certificates it
    /// issues (from <c>Portal:PublicBaseUrl</c>); null for a connector that holds no CA certificate of its own.
    /// </summary>
    public CaUrls? PublicUrls { get; init; }
}

/// <summary>One CA connector as its page shows it (admins and helpdesk): templates, certificate and chain, never a key.</summary>
public sealed class GetCaDetailsQuery(IDbContextFactory<PortalDbContext> dbFactory, UseCaseGuard guard, IOptions<PortalOptions> portalOptions)
{
    public Task<Result<CaDetails>> ExecuteAsync(Actor actor, string name, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ViewCaConnectors, CaErrors.NotAllowedToView, refusal: null, () => ExecuteCheckedAsync(actor, name, ct), ct);

    private async Task<Result<CaDetails>> ExecuteCheckedAsync(Actor actor, string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.CaConnectors.AsNoTracking()
            .Where(c => c.Name == name)
            .Select(c => new
            {
                c.Name,
                c.Type,
                c.DefaultTemplate,
                c.Templates,
                Pem = c.LocalCa != null ? c.LocalCa.CertificatePem : null,
                ChainPem = c.LocalCa != null ? c.LocalCa.ChainPem : null,
                CrlValidityDays = c.LocalCa != null ? (int?)c.LocalCa.CrlValidityDays : null,
                CrlOverlapDays = c.LocalCa != null ? (int?)c.LocalCa.CrlOverlapDays : null,
                Issued = db.IssuedCertificates.Count(i => i.CaConnectorId == c.Id),
            })
            .SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return CaErrors.NoSuchCa(name);
        }
        return new CaDetails(
            row.Name,
            row.Type,
            row.DefaultTemplate,
            row.Templates.OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase).Select(t => t.ToInfo()).ToList(),
            row.Pem is null ? null : ListCaSummariesQuery.Facts(X509Certificate2.CreateFromPem(row.Pem)),
            PemCertificates.ReadAll(row.ChainPem).Select(ListCaSummariesQuery.Facts).ToList(),
            row.Issued,
            row.CrlValidityDays,
            row.CrlOverlapDays)
        {
            PublicUrls = row.Pem is null ? null : CaUrls.For(portalOptions.Value.PublicBaseUrl, row.Name),
        };
    }
}
