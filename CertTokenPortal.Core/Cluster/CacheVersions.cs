using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Cluster;

/// <summary>
/// Version stamps in the database for data that portal instances cache in memory (policies, CA keys, sessions). A
/// writer bumps the stamp of what it changed, in the same transaction as the change; every instance compares the
/// stamp it cached with the current one before trusting its cache. One cheap primary-key read per check; the same on
/// SQLite and PostgreSQL, and correct with any number of instances.
/// </summary>
public interface ICacheVersions
{
    /// <summary>The current version of <paramref name="name"/>; 0 for a name never bumped.</summary>
    Task<long> GetAsync(string name, CancellationToken ct);

    /// <summary>
    /// Bumps <paramref name="name"/> inside the caller's context (and its open transaction, if any), so the new stamp
    /// becomes visible together with the change it announces. Returns the new version. Inside an open transaction the
    /// stamp's row must exist already (<see cref="EnsureAsync"/> before the transaction): made from within it, the row's
    /// insert would wait for the caller's own write lock on SQLite, and could abort its transaction on PostgreSQL.
    /// </summary>
    Task<long> BumpAsync(PortalDbContext db, string name, CancellationToken ct);

    /// <summary>Makes the row of <paramref name="name"/> if it is missing, in a unit of work of its own.</summary>
    Task EnsureAsync(string name, CancellationToken ct);

    /// <summary>Bumps <paramref name="name"/> on its own, for changes that are not in the portal's database.</summary>
    Task<long> BumpAsync(string name, CancellationToken ct);
}

/// <inheritdoc />
internal sealed class CacheVersions(IDbContextFactory<PortalDbContext> dbFactory) : ICacheVersions
{
    public async Task<long> GetAsync(string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CacheVersions.Where(v => v.Name == name).Select(v => v.Version).FirstOrDefaultAsync(ct);
    }

    public async Task<long> BumpAsync(PortalDbContext db, string name, CancellationToken ct)
    {
        var inCallersTransaction = db.Database.CurrentTransaction is not null;
        if (!inCallersTransaction)
        {
            // The row is made outside any transaction: an insert that lost a race would abort it on PostgreSQL.
            await EnsureRowAsync(name, ct);
        }
        // Update and read in one transaction: the update's row lock keeps other bumps out until the read is done.
        await using var own = inCallersTransaction ? null : await db.Database.BeginTransactionAsync(ct);
        var bumped = await db.CacheVersions.Where(v => v.Name == name).ExecuteUpdateAsync(s => s.SetProperty(v => v.Version, v => v.Version + 1), ct);
        if (bumped != 1)
        {
            throw new InvalidOperationException($"The cache version '{name}' has no row; EnsureAsync runs before the transaction that bumps it.");
        }
        var version = await db.CacheVersions.Where(v => v.Name == name).Select(v => v.Version).SingleAsync(ct);
        if (own is not null)
        {
            await own.CommitAsync(ct);
        }
        return version;
    }

    public async Task<long> BumpAsync(string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await BumpAsync(db, name, ct);
    }

    public Task EnsureAsync(string name, CancellationToken ct) => EnsureRowAsync(name, ct);

    private async Task EnsureRowAsync(string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.CacheVersions.AnyAsync(v => v.Name == name, ct))
        {
            return;
        }
        db.CacheVersions.Add(new CacheVersion { Name = name });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another writer made it a moment ago, which is just as good; anything else is a real failure.
            if (!await RowExistsAsync(name, ct))
            {
                throw;
            }
        }
    }

    private async Task<bool> RowExistsAsync(string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CacheVersions.AnyAsync(v => v.Name == name, ct);
    }
}
