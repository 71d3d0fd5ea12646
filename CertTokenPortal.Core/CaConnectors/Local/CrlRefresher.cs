using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors.Local;

/// <summary>
/// Republishes every local CA's CRL that has entered its overlap window (<c>crl_overlap_days</c> before nextUpdate),
/// or that was never published. Several instances may do this at once: publication itself is race-safe.
/// </summary>
public sealed class CrlRefresher(IDbContextFactory<PortalDbContext> dbFactory, LocalCrlPublisher publisher, TimeProvider clock)
{
    /// <summary>Publishes the CRLs that are due; returns the names of the CAs whose CRL was published.</summary>
    public async Task<IReadOnlyList<string>> RefreshDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<(int Id, string Name, DateTime? NextUpdate, int OverlapDays)> cas;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            cas = (await db.LocalCas.AsNoTracking()
                    .Select(l => new { l.CaConnectorId, l.CaConnector.Name, l.CrlNextUpdate, l.CrlOverlapDays })
                    .ToListAsync(cancellationToken))
                .Select(l => (l.CaConnectorId, l.Name, l.CrlNextUpdate, l.CrlOverlapDays)).ToList();
        }
        var published = new List<string>();
        foreach (var ca in cas)
        {
            if (ca.NextUpdate is null || now >= ca.NextUpdate.Value.AddDays(-ca.OverlapDays))
            {
                await publisher.PublishAsync(ca.Id, cancellationToken);
                published.Add(ca.Name);
            }
        }
        return published;
    }
}
