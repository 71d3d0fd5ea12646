using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CertTokenPortal.Core.Persistence;

/// <summary>
/// PostgreSQL: every commit that changes a table the public CA routes' stamps come from (<c>CaConnectors</c>,
/// <c>LocalCas</c>, <c>CacheVersions</c>) sends a notification (a statement trigger calls <c>pg_notify</c>; the server
/// delivers it at commit, never for a rolled-back change); one connection per instance listens and moves the number.
/// Without it each relying party's request cost a round trip to the server for its stamp.
/// </summary>
/// <remarks>
/// The number vouches for nothing (<c>null</c>) until the listener is connected, and again as soon as it has not heard
/// from the server for <see cref="Silence"/> (a connection that died without a word would otherwise leave every cache
/// trusted forever): then stamps are read per request as before. Another instance's change arrives with its
/// notification, within the moment the server takes to deliver it (well under a millisecond on one host);
/// this instance's own revocations and CRLs move the number at once (<see cref="Changed"/>).
/// </remarks>
public sealed partial class PostgreSqlChangeSignal(
    IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, ILogger<PostgreSqlChangeSignal> logger)
    : BackgroundService, IDatabaseChangeSignal
{
    /// <summary>The channel the migration's trigger notifies.</summary>
    public const string Channel = "certtokenportal_stamps";

    /// <summary>How often the listener asks the server whether the connection still stands.</summary>
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(5);

    /// <summary>Heard nothing from the server for this long: the number vouches for nothing until it has.</summary>
    public static readonly TimeSpan Silence = TimeSpan.FromSeconds(15);

    private long _version;
    private long _lastHeardTicks = long.MinValue;

    public long? Current()
    {
        var lastHeard = Interlocked.Read(ref _lastHeardTicks);
        if (lastHeard == long.MinValue || clock.GetUtcNow().UtcTicks - lastHeard > Silence.Ticks)
        {
            return null;
        }
        return Interlocked.Read(ref _version);
    }

    public void Changed() => Interlocked.Increment(ref _version);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Interlocked.Exchange(ref _lastHeardTicks, long.MinValue);
                LogListenerLost(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(2), clock, stoppingToken);
            }
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        string connectionString;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            connectionString = db.Database.GetConnectionString()!;
        }
        // Outside the pool: a pooled connection is reset when it goes back, which would end the LISTEN.
        var settings = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Multiplexing = false, KeepAlive = 5 };
        await using var connection = new NpgsqlConnection(settings.ToString());
        await connection.OpenAsync(ct);
        connection.Notification += (_, _) =>
        {
            Interlocked.Increment(ref _version);
            Heard();
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }
        // Whatever was committed before the LISTEN took effect was not announced: a new number makes every cache look again.
        Interlocked.Increment(ref _version);
        Heard();
        await using var ping = new NpgsqlCommand("SELECT 1", connection);
        while (true)
        {
            if (!await connection.WaitAsync(PingInterval, ct))
            {
                await ping.ExecuteScalarAsync(ct);
                Heard();
            }
        }
    }

    private void Heard() => Interlocked.Exchange(ref _lastHeardTicks, clock.GetUtcNow().UtcTicks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The change notifications of the database are not received; the public CA routes read their stamps from the database until they are again")]
    private static partial void LogListenerLost(ILogger logger, Exception e);
}
