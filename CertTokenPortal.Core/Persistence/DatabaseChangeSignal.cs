using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Persistence;

/// <summary>
/// Tells, without reading a table, whether anything may have been committed to the database since a caller last
/// looked, so that a cache can skip re-reading its version stamp while nothing was.
/// </summary>
/// <remarks>
/// On SQLite, <c>PRAGMA data_version</c> on a connection of this signal's own (which never writes) changes whenever any
/// other connection commits, of this process or of another instance on the same file; it costs a few microseconds.
/// PostgreSQL has no such local view (another instance's commit is known only by asking the server), so there
/// <see cref="Current"/> is <c>null</c> and callers read their stamps as before; a change notification
/// (<c>LISTEN/NOTIFY</c>) would be its counterpart.
/// </remarks>
public sealed class DatabaseChangeSignal(IDbContextFactory<PortalDbContext> dbFactory) : IDisposable
{
    private readonly Lock _gate = new();
    private SqliteCommand? _probe;
    private bool _unsupported;

    /// <summary>
    /// A number that differs from every earlier one once anyone has committed since; <c>null</c> when the database
    /// cannot tell (then nothing may be assumed unchanged). Read it before the stamp it vouches for: a commit after the
    /// read gives a new number, so a stamp read after it is never taken for newer than it is.
    /// </summary>
    public long? Current()
    {
        if (_unsupported)
        {
            return null;
        }
        lock (_gate)
        {
            try
            {
                _probe ??= OpenProbe();
                return _probe is null ? null : (long)_probe.ExecuteScalar()!;
            }
            catch (SqliteException)
            {
                // A broken connection (file moved, disk error): say "unknown" and open a new one next time.
                Close();
                return null;
            }
        }
    }

    private SqliteCommand? OpenProbe()
    {
        using var db = dbFactory.CreateDbContext();
        if (!db.Database.IsSqlite())
        {
            _unsupported = true;
            return null;
        }
        var settings = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false };
        if (settings.Mode == SqliteOpenMode.Memory || settings.DataSource is "" or ":memory:")
        {
            // A second connection to an in-memory database would see a database of its own that never changes.
            _unsupported = true;
            return null;
        }
        // Its own connection, outside the pool: data_version reports the commits of connections other than the one asked.
        var connection = new SqliteConnection(settings.ToString());
        connection.Open();
        var probe = connection.CreateCommand();
        probe.CommandText = "PRAGMA data_version";
        probe.Prepare();
        return probe;
    }

    private void Close()
    {
        var connection = _probe?.Connection;
        _probe?.Dispose();
        connection?.Dispose();
        _probe = null;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            Close();
        }
    }
}

/// <summary>
/// Version stamps read from the database, kept per key together with the <see cref="DatabaseChangeSignal"/> number
/// they were read under: while that number holds, nobody has committed, so the stamp is still the database's and is
/// not read again. Only found stamps are kept (keys come from callers' URLs; unknown names must not fill memory).
/// </summary>
public sealed class VerifiedStamps<TStamp>(DatabaseChangeSignal signal) where TStamp : class
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (TStamp Stamp, long Version)> _known = new();

    /// <summary>The stamp of <paramref name="key"/>: from memory when nothing was committed since it was read, else from <paramref name="read"/>.</summary>
    public async Task<TStamp?> GetAsync(string key, Func<string, CancellationToken, Task<TStamp?>> read, CancellationToken ct)
    {
        var version = signal.Current();
        if (version is { } now && _known.TryGetValue(key, out var known) && known.Version == now)
        {
            return known.Stamp;
        }
        var stamp = await read(key, ct);
        if (version is { } readUnder && stamp is not null)
        {
            _known[key] = (stamp, readUnder);
        }
        else
        {
            _known.TryRemove(key, out _);
        }
        return stamp;
    }
}
