using CertTokenPortal.Core.CaConnectors.Templates;
using CertTokenPortal.Core.Cluster;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>
/// Finds connectors in the database and builds each through the <see cref="ICaConnectorFactory"/> registered for its
/// type, so a new connector kind is one more factory in DI and no switch on the type anywhere.
/// </summary>
/// <remarks>
/// Every enrolment, renewal and revocation asks for its connector, so the records (with their templates) are kept in
/// memory while the stamp <see cref="EnrolmentConfigurationStamp.Name"/> holds: a look-up is then one primary-key read
/// of the stamp instead of a query with a join. Any change to a connector or template, on any instance, bumps the stamp
/// in its own transaction (<see cref="EnrolmentConfigurationStamp"/>), so the next look-up everywhere loads it again.
/// Connectors are built anew for each look-up from the kept record, which they only read.
/// </remarks>
internal sealed class CaConnectorRegistry(IDbContextFactory<PortalDbContext> dbFactory, IEnumerable<ICaConnectorFactory> factories,
    ICacheVersions versions) : ICaConnectorRegistry
{
    private readonly Dictionary<string, ICaConnectorFactory> _factories =
        factories.ToDictionary(f => f.Type, StringComparer.OrdinalIgnoreCase);

    // Keyed as the database compares names (ordinal); only names that exist are kept.
    private readonly StampedCache<string, CaConnectorRecord> _records = new(versions, EnrolmentConfigurationStamp.Name);

    public async Task<Result<ICaConnector>> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var record = await _records.GetAsync(name, LoadAsync, cancellationToken);
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

    private async Task<CaConnectorRecord?> LoadAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The LocalCa row (key, CRL blob) is not loaded here: connectors read what they need when they need it.
        return await db.CaConnectors.AsNoTracking().Include(c => c.Templates)
            .SingleOrDefaultAsync(c => c.Name == name, cancellationToken);
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
                CrlValidityDays = c.LocalCa != null ? (int?)c.LocalCa.CrlValidityDays : null,
                CrlOverlapDays = c.LocalCa != null ? (int?)c.LocalCa.CrlOverlapDays : null,
                c.SettingsJson,
                c.Templates,
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new CaConnectorInfo(r.Name, r.Type, r.Subject, r.DefaultTemplate, r.NotAfter,
            r.Templates.OrderBy(t => t.Name).Select(t => t.ToInfo()).ToList())
        {
            Settings = Settings(r.SettingsJson, r.CrlValidityDays, r.CrlOverlapDays),
        }).ToList();
    }

    /// <summary>The kind's own settings (its JSON holds no secret by contract) and a local CA's CRL periods.</summary>
    private static Dictionary<string, string> Settings(string settingsJson, int? crlValidityDays, int? crlOverlapDays)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var json = System.Text.Json.JsonDocument.Parse(settingsJson))
        {
            foreach (var property in json.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.String))
            {
                settings[property.Name] = property.Value.GetString()!;
            }
        }
        if (crlValidityDays is { } validity && crlOverlapDays is { } overlap)
        {
            settings["crl_validity_days"] = validity.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["crl_overlap_days"] = overlap.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return settings;
    }
}
