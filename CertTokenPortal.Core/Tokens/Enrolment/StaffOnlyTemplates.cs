using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>Whether a CA's template is for staff only, as enrolment and its preview decide it.</summary>
internal static class StaffOnlyTemplates
{
    /// <summary>
    /// From the templates the connector was built with (kept in memory while the configuration stamp holds, so no
    /// query), matched as the CA matches them when it issues; from the database for a kind that does not tell.
    /// </summary>
    public static async Task<bool> IsStaffOnlyAsync(PortalDbContext db, ICaConnector ca, string templateName, CancellationToken ct) =>
        ca is ICaTemplateCatalog catalog
            ? catalog.IsStaffOnly(templateName)
            : await db.CertificateTemplates.AsNoTracking()
                .AnyAsync(t => t.CaConnector.Name == ca.Name && t.Name == templateName && t.StaffOnly, ct);
}
