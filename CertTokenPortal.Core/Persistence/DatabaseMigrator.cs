using CertTokenPortal.Core.Startup;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Persistence;

/// <summary>Applies the EF Core migrations at start-up, and turns on SQLite's write-ahead log.</summary>
internal sealed class DatabaseMigrator(PortalDbContext db) : IStartupTask
{
    public int Order => 0;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            // WAL lets readers (the grid, the API) go on while a writer commits; it is a property of the file, set once.
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        await db.Database.MigrateAsync(cancellationToken);
    }
}
