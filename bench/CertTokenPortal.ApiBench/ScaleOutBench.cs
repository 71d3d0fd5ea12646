using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CertTokenPortal.ApiBench;

/// <summary>
/// The PostgreSQL mode (bench/postgres.sh): enrolments per second through POST /token/init with N clients on SQLite
/// (one instance), on PostgreSQL with one instance and with two instances on the same machine (clients split between
/// them), then GET /token/ times at 100,000 tokens on PostgreSQL. Starts its own PostgreSQL cluster (initdb/pg_ctl in a
/// temp directory, durable default settings, as the postgres user when run as root).
/// </summary>
internal static class ScaleOutBench
{
    private const int PortA = 5393;
    private const int PortB = 5394;

    public static async Task RunAsync(string[] args)
    {
        var portalDll = Path.GetFullPath(args[0]);
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var clients = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
        var csrs = Enumerable.Range(0, 64).Select(i =>
        {
            using var key = RSA.Create(2048);
            return new CertificateRequest($"CN=pg{i:D3},O=Bench", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();
        }).ToArray();
        var folders = new List<string>();
        string Folder()
        {
            var folder = Path.Combine(Path.GetTempPath(), $"ctp-pgbench-{Guid.NewGuid():N}");
            folders.Add(folder);
            return folder;
        }

        await using var cluster = await Cluster.StartAsync();
        try
        {
            Report("api_clients", clients);
            await using (var sqlite = await PortalProcess.StartAsync(portalDll, Folder(), PortA))
            {
                Report("sqlite_one_instance_enrol_per_second", await MeasureAsync([sqlite.BaseAddress], csrs, seconds, clients));
            }

            var one = await cluster.CreateDatabaseAsync();
            await using (var pg = await PortalProcess.StartAsync(portalDll, Folder(), PortA, Pg(one)))
            {
                Report("postgresql_one_instance_enrol_per_second", await MeasureAsync([pg.BaseAddress], csrs, seconds, clients));
            }

            var shared = await cluster.CreateDatabaseAsync();
            await using (var a = await PortalProcess.StartAsync(portalDll, Folder(), PortA, Pg(shared)))
            await using (var b = await PortalProcess.StartAsync(portalDll, Folder(), PortB, Pg(shared)))
            {
                Report("postgresql_two_instances_enrol_per_second", await MeasureAsync([a.BaseAddress, b.BaseAddress], csrs, seconds, clients));
            }

            var list = await cluster.CreateDatabaseAsync();
            var listFolder = Folder();
            await using (await PortalProcess.StartAsync(portalDll, listFolder, PortA, Pg(list))) { }
            var seed = Stopwatch.StartNew();
            await TokenSeeder.SeedAsync(new DbContextOptionsBuilder<PortalDbContext>().UseNpgsql(list).Options, 100_000);
            Report("postgresql_seed_100000_seconds", Math.Round(seed.Elapsed.TotalSeconds, 1));
            await using (var portal = await PortalProcess.StartAsync(portalDll, listFolder, PortA, Pg(list)))
            {
                using var client = Client(portal.BaseAddress, await LoginAsync(portal.BaseAddress));
                var count = (await GetJson(client, "token/?pagesize=15")).GetProperty("result").GetProperty("value").GetProperty("count").GetInt32();
                Report("postgresql_list_100000_count", count);
                Report("postgresql_list_100000_page1_ms", await MedianMsAsync(client, "token/?page=1&pagesize=15"));
                Report("postgresql_list_100000_late_ms", await MedianMsAsync(client, $"token/?page={(int)(count * 0.9 / 15)}&pagesize=15"));
                Report("postgresql_list_100000_user_filter_ms", await MedianMsAsync(client, "token/?user=user0042&pagesize=15"));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            foreach (var folder in folders)
            {
                try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
            }
        }
    }

    private static Dictionary<string, string> Pg(string connection) => new()
    {
        ["Portal__Database__Provider"] = "postgresql",
        ["ConnectionStrings__Portal"] = connection,
    };

    /// <summary>Enrolments per second; client c talks to instance c mod n. A warm-up run of the same length first (JIT).</summary>
    private static async Task<double> MeasureAsync(Uri[] instances, string[] csrs, double seconds, int clients)
    {
        var token = await LoginAsync(instances[0]); // the JWT key is shared: a token from one instance is valid on the other
        await EnrolForAsync(instances, token, csrs, seconds, clients);
        var (count, elapsed) = await EnrolForAsync(instances, token, csrs, seconds, clients);
        return Math.Round(count / elapsed, 1);
    }

    private static async Task<(int Count, double Elapsed)> EnrolForAsync(Uri[] instances, string token, string[] csrs, double seconds, int clients)
    {
        var count = 0;
        var failures = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            using var client = Client(instances[c % instances.Length], token);
            var i = c;
            while (watch.Elapsed.TotalSeconds < seconds)
            {
                var response = await client.PostAsync("token/init", Form(("type", "certificate"), ("ca", "localCA"), ("request", csrs[i++ % csrs.Length])));
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref count);
                }
                else if (Interlocked.Increment(ref failures) == 1)
                {
                    Console.Error.WriteLine($"enrolment failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }));
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} enrolments failed");
        }
        return (count, watch.Elapsed.TotalSeconds);
    }

    private static async Task<double> MedianMsAsync(HttpClient client, string path)
    {
        for (var i = 0; i < 5; i++)
        {
            await GetJson(client, path);
        }
        var times = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            var watch = Stopwatch.StartNew();
            await GetJson(client, path);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return Math.Round(times[times.Count / 2], 2);
    }

    private static async Task<JsonElement> GetJson(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(body);
        }
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<string> LoginAsync(Uri baseAddress)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var response = await client.PostAsync("auth", Form(("username", "admin"), ("password", PortalProcess.AdminPassword)));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.GetProperty("result").GetProperty("value").GetProperty("token").GetString()!;
    }

    private static HttpClient Client(Uri baseAddress, string token)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        return client;
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private static void Report(string key, object value) => Console.WriteLine(FormattableString.Invariant($"{key}={value}"));

    /// <summary>A throw-away PostgreSQL cluster with the installed version's default (durable) settings.</summary>
    private sealed class Cluster : IAsyncDisposable
    {
        private readonly string _folder;
        private readonly string _bin;
        private readonly int _port;

        private Cluster(string folder, string bin, int port) => (_folder, _bin, _port) = (folder, bin, port);

        public static async Task<Cluster> StartAsync()
        {
            var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl"))).OrderDescending().First();
            var folder = Path.Combine(Path.GetTempPath(), $"ctp-pgbench-cluster-{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            Run("chown", "postgres:postgres", folder);
            AsPostgres(Path.Combine(bin, "initdb"), "-D", Path.Combine(folder, "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8");
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            AsPostgres(Path.Combine(bin, "pg_ctl"), "-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "log"), "-w",
                "-o", $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=300", "start");
            await Task.CompletedTask;
            return new Cluster(folder, bin, port);
        }

        public async Task<string> CreateDatabaseAsync()
        {
            var name = $"bench_{Guid.NewGuid():N}";
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={_port};Database=postgres;Username=postgres");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
            return $"Host=127.0.0.1;Port={_port};Database={name};Username=postgres;Maximum Pool Size=50";
        }

        public ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            AsPostgres(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_folder, "data"), "-m", "fast", "-w", "stop");
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
            return ValueTask.CompletedTask;
        }

        private static void AsPostgres(string program, params string[] arguments) =>
            Run(Environment.UserName == "root" ? "runuser" : program,
                Environment.UserName == "root" ? ["-u", "postgres", "--", program, .. arguments] : arguments);

        private static void Run(string program, params string[] arguments)
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            arguments.ToList().ForEach(start.ArgumentList.Add);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: {output.Result}{errors}");
            }
        }
    }
}
