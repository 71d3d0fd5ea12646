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
/// Version stamps read from the database, kept per key under the <see cref="IDatabaseChangeSignal"/> number they were
/// read under: while that number holds, nobody has committed, so a stamp is still the database's and is not read again.
/// </summary>
/// <remarks>
/// Whatever the signal says, a stamp is read again after <see cref="MaxTrust"/>: a notification path that fails
/// without a sign (a proxy between portal and PostgreSQL that does not pass notifications) then costs at most that
/// much freshness, and one read per second costs nothing.
/// </remarks>
public static class VerifiedStamps
{
    /// <summary>The longest a stamp is trusted without reading it again.</summary>
    public static readonly TimeSpan MaxTrust = TimeSpan.FromSeconds(1);

    /// <summary>A cache of stamps per name that <paramref name="signal"/> vouches for.</summary>
    public static Cluster.StampedCache<string, TStamp> Under<TStamp>(IDatabaseChangeSignal signal) where TStamp : class =>
        new(_ => ValueTask.FromResult(signal.Current()), MaxTrust);
}
