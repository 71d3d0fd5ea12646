using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.CaConnectors.Templates;
using CertTokenPortal.Core.Audit;
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

/// <summary>
/// The CA connectors as the CA list shows them (admins and helpdesk), read in one query, never with a key. The
/// certificate facts are read from the stored PEM here, so that pages hold no X.509 code.
/// </summary>
public sealed class ListCaSummariesQuery(IDbContextFactory<PortalDbContext> dbFactory, UseCaseGuard guard)
{
    public Task<Result<IReadOnlyList<CaSummary>>> ExecuteAsync(Actor actor, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ViewCaConnectors, CaErrors.NotAllowedToView, refusal: null, () => ExecuteCheckedAsync(actor, ct), ct);

    private async Task<Result<IReadOnlyList<CaSummary>>> ExecuteCheckedAsync(Actor actor, CancellationToken ct)
    {
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

    /// <summary>The certificate as people read it; one reader (<see cref="CertificateDetails"/>) serves every page.</summary>
    internal static CertificateDetails Facts(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return CertificateDetails.Of(certificate);
        }
    }
}
