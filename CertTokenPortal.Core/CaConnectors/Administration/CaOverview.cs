using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.CaConnectors.Templates;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;
using CertTokenPortal.Core.CaConnectors.Local;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>A CA connector as the CA list shows it; the CA facts are null for connectors that hold no CA certificate.</summary>
public sealed record CaSummary(
    string Name,
    string Type,
    string? Subject,
    DateTime? NotBefore,
    DateTime? NotAfter,
    string? KeyDescription,
    int TemplateCount,
    string? DefaultTemplate,
    long? CrlNumber,
    DateTime? CrlNextUpdate,
    int IssuedCount);

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
    int? CrlOverlapDays);

/// <summary>
/// The CA connectors as the admin pages show them (admins and helpdesk): list and details, read in one query each,
/// never with a key. The certificate facts are read from the stored PEM here, so that pages hold no X.509 code.
/// </summary>
public sealed class CaOverview(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<Result<IReadOnlyList<CaSummary>>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ViewCaConnectors))
        {
            return NotAllowed();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.CaConnectors.AsNoTracking()
            .OrderBy(c => c.Name)
            .Select(c => new
            {
                c.Name,
                c.Type,
                c.DefaultTemplate,
                Pem = c.LocalCa != null ? c.LocalCa.CertificatePem : null,
                Key = c.LocalCa != null ? c.LocalCa.KeyDescription : null,
                CrlNumber = c.LocalCa != null && c.LocalCa.CrlThisUpdate != null ? (long?)c.LocalCa.CrlNumber : null,
                CrlNextUpdate = c.LocalCa != null ? c.LocalCa.CrlNextUpdate : null,
                Templates = c.Templates.Count,
                Issued = db.IssuedCertificates.Count(i => i.CaConnectorId == c.Id),
            })
            .ToListAsync(ct);
        return rows.Select(r =>
        {
            var facts = r.Pem is null ? null : Facts(X509Certificate2.CreateFromPem(r.Pem));
            return new CaSummary(r.Name, r.Type, facts?.Subject, facts?.NotBefore, facts?.NotAfter, r.Key, r.Templates,
                r.DefaultTemplate, r.CrlNumber, r.CrlNextUpdate, r.Issued);
        }).ToList();
    }

    public async Task<Result<CaDetails>> GetAsync(Actor actor, string name, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ViewCaConnectors))
        {
            return NotAllowed();
        }
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
            return PortalError.NotFound($"There is no CA connector named '{name}'.");
        }
        return new CaDetails(
            row.Name,
            row.Type,
            row.DefaultTemplate,
            row.Templates.OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase).Select(t => t.ToInfo()).ToList(),
            row.Pem is null ? null : Facts(X509Certificate2.CreateFromPem(row.Pem)),
            PemCertificates.ReadAll(row.ChainPem).Select(Facts).ToList(),
            row.Issued,
            row.CrlValidityDays,
            row.CrlOverlapDays);
    }

    /// <summary>The certificate as people read it; one reader (<see cref="CertificateDetails"/>) serves every page.</summary>
    private static CertificateDetails Facts(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return CertificateDetails.Of(certificate);
        }
    }

    private static PortalError NotAllowed() => PortalError.Forbidden("Only admins and helpdesk staff may view CA connectors.");
}
