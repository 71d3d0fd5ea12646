using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>
/// One throw-away PostgreSQL cluster for the whole test run: initdb in a temp directory, started with pg_ctl on a free
/// port on 127.0.0.1, owned by the <c>postgres</c> user when the tests run as root (PostgreSQL refuses root, and CI runs
/// as root). Durability is switched off: it is thrown away. Each test portal gets its own database
/// (<see cref="CreateDatabaseAsync"/>), so tests never see each other's rows. Stopped and deleted when the run ends.
/// </summary>
public sealed class PostgreSqlServer
{
    private static readonly Lazy<Task<PostgreSqlServer>> Shared = new(StartAsync);

    private readonly string _directory;
    private readonly string _binaries;

    private PostgreSqlServer(string directory, string binaries, int port)
    {
        _directory = directory;
        _binaries = binaries;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The cluster of this test run, started on first use.</summary>
    public static Task<PostgreSqlServer> GetAsync() => Shared.Value;

    /// <summary>The connection string of the maintenance database, as the superuser.</summary>
    public string AdminConnectionString => Connection("postgres");

    public string Connection(string database) =>
        $"Host=127.0.0.1;Port={Port};Database={database};Username=postgres;Pooling=true;Maximum Pool Size=50;Timeout=30;Command Timeout=60";

    /// <summary>A new empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"ctp_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return Connection(name);
    }

    /// <summary>Runs a PostgreSQL program of the installed version (pg_dump, psql) as the cluster's owner.</summary>
    public ToolResult RunTool(string program, params string[] arguments) =>
        ExternalTool.Run(Path.Combine(_binaries, program), arguments, timeout: TimeSpan.FromMinutes(2));

    /// <summary>Where the PostgreSQL programs of the installed version are (Debian: /usr/lib/postgresql/N/bin).</summary>
    public static string Binaries()
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).FirstOrDefault()
            : null;
        return debian ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no /usr/lib/postgresql/<version>/bin/pg_ctl): apt-get install postgresql, as .ci/run does.");
    }

    private static async Task<PostgreSqlServer> StartAsync()
    {
        var binaries = Binaries();
        RemoveStaleClusters();
        var directory = Path.Combine(Path.GetTempPath(), $"ctp-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            ExternalTool.Succeeds("chown", "postgres:postgres", directory);
        }
        var data = Path.Combine(directory, "data");
        AsOwner(asRoot, Path.Combine(binaries, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions");

        var port = FreePort();
        var options = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off " +
                      "-c full_page_writes=off -c max_connections=400 -c shared_buffers=64MB";
        AsOwner(asRoot, Path.Combine(binaries, "pg_ctl"), "-D", data, "-o", options, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "start");

        var server = new PostgreSqlServer(directory, binaries, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(asRoot, data);
        await Task.CompletedTask;
        return server;
    }

    private void Stop(bool asRoot, string data)
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            AsOwner(asRoot, Path.Combine(_binaries, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop");
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or Xunit.Sdk.XunitException)
        {
            // Best effort at process exit; the temp directory goes anyway.
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Clusters of earlier runs whose test host was killed before it could clean up (no server running in them).</summary>
    private static void RemoveStaleClusters()
    {
        foreach (var stale in Directory.GetDirectories(Path.GetTempPath(), "ctp-pg-*"))
        {
            if (!File.Exists(Path.Combine(stale, "data", "postmaster.pid")))
            {
                try
                {
                    Directory.Delete(stale, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
    }

    private static void AsOwner(bool asRoot, string program, params string[] arguments)
    {
        var result = asRoot
            ? ExternalTool.Run("runuser", ["-u", "postgres", "--", program, .. arguments], timeout: TimeSpan.FromMinutes(2))
            : ExternalTool.Run(program, arguments, timeout: TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"PostgreSQL test cluster: {result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
