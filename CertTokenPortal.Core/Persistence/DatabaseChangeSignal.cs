using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Persistence;

/// <summary>
/// Tells, without reading a table, whether anything a version stamp covers may have been committed since a caller last
/// looked, so that a cache can skip re-reading its stamp while nothing was. One per database provider:
/// <see cref="SqliteChangeSignal"/> and <see cref="PostgreSqlChangeSignal"/>.
/// </summary>
public interface IDatabaseChangeSignal
{
    /// <summary>
    /// A number that differs from every earlier one once anyone may have committed a change since; <c>null</c> when
    /// this cannot be told (then nothing may be assumed unchanged). Read it before the stamp it vouches for: a commit
    /// after the read gives a new number, so a stamp read after it is never taken for newer than it is.
    /// </summary>
    long? Current();

    /// <summary>
    /// This process has just committed a change that a stamp covers (a revocation, a new CRL): moves the number at
    /// once, so that this instance's next answer cannot lag behind its own change.
    /// </summary>
    void Changed();
}

/// <summary>
/// SQLite: <c>PRAGMA data_version</c> on a connection of this signal's own (which never writes) changes whenever any
/// other connection commits, of this process or of another instance on the same file; it costs a few microseconds.
/// </summary>
public sealed class SqliteChangeSignal(IDbContextFactory<PortalDbContext> dbFactory) : IDatabaseChangeSignal, IDisposable
{
    private readonly Lock _gate = new();
    private SqliteCommand? _probe;
    private bool _unsupported;

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

    /// <summary>Nothing to do: the commit itself moved <c>data_version</c>.</summary>
    public void Changed()
    {
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
/// Version stamps read from the database, kept per key together with the <see cref="IDatabaseChangeSignal"/> number
/// they were read under: while that number holds, nobody has committed, so the stamp is still the database's and is
/// not read again. Only found stamps are kept (keys come from callers' URLs; unknown names must not fill memory).
/// </summary>
public sealed class VerifiedStamps<TStamp>(IDatabaseChangeSignal signal) where TStamp : class
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
