using CertTokenPortal.Core.CaConnectors.Templates;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>
/// Finds connectors in the database and builds each through the <see cref="ICaConnectorFactory"/> registered for its
/// type, so a new connector kind is one more factory in DI and no switch on the type anywhere.
/// </summary>
internal sealed class CaConnectorRegistry(IDbContextFactory<PortalDbContext> dbFactory, IEnumerable<ICaConnectorFactory> factories)
    : ICaConnectorRegistry
{
    private readonly Dictionary<string, ICaConnectorFactory> _factories =
        factories.ToDictionary(f => f.Type, StringComparer.OrdinalIgnoreCase);

    public async Task<Result<ICaConnector>> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The LocalCa row (key, CRL blob) is not loaded here: connectors read what they need when they need it.
        var record = await db.CaConnectors.AsNoTracking().Include(c => c.Templates)
            .SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
        if (record is null)
        {
            return PortalError.NotFound($"There is no CA connector named '{name}'.");
        }
        if (!_factories.TryGetValue(record.Type, out var factory))
        {
            throw new InvalidOperationException($"The CA connector '{name}' has the type '{record.Type}', for which no factory is registered.");
        }
        return Result<ICaConnector>.Success(factory.Create(record));
    }

    public async Task<IReadOnlyList<CaConnectorInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.CaConnectors.AsNoTracking()
            .OrderBy(c => c.Name)
            .Select(c => new
            {
                c.Name,
                c.Type,
                c.DefaultTemplate,
                Subject = c.LocalCa != null ? c.LocalCa.Subject : null,
                NotAfter = c.LocalCa != null ? (DateTime?)c.LocalCa.NotAfter : null,
                c.Templates,
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new CaConnectorInfo(r.Name, r.Type, r.Subject, r.DefaultTemplate, r.NotAfter,
            r.Templates.OrderBy(t => t.Name).Select(t => t.ToInfo()).ToList())).ToList();
    }
}
