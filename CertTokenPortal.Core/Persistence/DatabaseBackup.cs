using System.Diagnostics;
using System.Text.Json;
using CertTokenPortal.Core.Startup;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CertTokenPortal.Core.Persistence;

/// <summary>What a backup wrote: the provider, when, and the file that holds the database (with the key ring in it).</summary>
public sealed record BackupManifest(string Provider, DateTime CreatedAt, string File, string RestoreHint);

/// <summary>
/// Backs up the whole portal while it runs: the database, which also holds the Data Protection key ring, so data and
/// the keys that decrypt it are taken in one consistent snapshot. SQLite: the online backup API (a page-by-page copy
/// that sees one committed state); PostgreSQL: <c>pg_dump</c> (one snapshot transaction). Writes
/// <c>backup.json</c> beside the file. Run as <c>dotnet CertTokenPortal.dll backup &lt;directory&gt;</c>.
/// </summary>
public sealed class DatabaseBackup(PortalDbContext db, TimeProvider clock)
{
    public const string SqliteFile = "portal.db";
    public const string PostgreSqlFile = "portal.dump";

    public async Task<BackupManifest> CreateAsync(string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var connectionString = db.Database.GetConnectionString()!;
        BackupManifest manifest;
        if (db.Database.IsSqlite())
        {
            var target = Path.Combine(directory, SqliteFile);
            File.Delete(target);
            await using (var source = new SqliteConnection(connectionString))
            await using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString()))
            {
                await source.OpenAsync(ct);
                await destination.OpenAsync(ct);
                source.BackupDatabase(destination);
            }
            manifest = new BackupManifest("sqlite", Now(), SqliteFile,
                $"Stop the portal, copy {SqliteFile} to <data directory>/portal.db (remove portal.db-wal and portal.db-shm there), start it.");
        }
        else
        {
            await PgDumpAsync(connectionString, Path.Combine(directory, PostgreSqlFile), ct);
            manifest = new BackupManifest("postgresql", Now(), PostgreSqlFile,
                $"Stop every instance, then: pg_restore --clean --if-exists --no-owner -d <database> {PostgreSqlFile}; start them.");
        }
        await File.WriteAllTextAsync(Path.Combine(directory, "backup.json"),
            JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }), ct);
        return manifest;
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    private static async Task PgDumpAsync(string connectionString, string file, CancellationToken ct)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(PgDump())
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--format=custom", $"--file={file}", $"--host={c.Host}", $"--port={c.Port}", $"--dbname={c.Database}" })
        {
            start.ArgumentList.Add(argument);
        }
        if (!string.IsNullOrEmpty(c.Username))
        {
            start.ArgumentList.Add($"--username={c.Username}");
        }
        // The password goes by environment, never on the command line where other users could read it.
        if (!string.IsNullOrEmpty(c.Password))
        {
            start.Environment["PGPASSWORD"] = c.Password;
        }
        start.ArgumentList.Add("--no-password");
        using var process = Process.Start(start) ?? throw new PortalStartupException("pg_dump could not be started.");
        var errors = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new PortalStartupException($"pg_dump failed (exit {process.ExitCode}): {errors.Trim()}");
        }
    }

    /// <summary>pg_dump on PATH, or the newest of Debian's versioned installs (it must be at least the server's version).</summary>
    private static string PgDump()
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_dump")).Where(File.Exists)
                .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : 0).FirstOrDefault()
            : null;
        return debian ?? "pg_dump";
    }
}
