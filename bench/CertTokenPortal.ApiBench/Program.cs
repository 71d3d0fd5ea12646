using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CertTokenPortal.ApiBench;

// Measures the HTTP API on this machine, against the portal running as its own process:
//   1. enrolments per second through POST /token/init (CSR mode) with several concurrent clients,
//      for the default RSA-3072 CA and for an EC P-384 CA;
//   2. GET /token/ time for page 1 and a late page, with 1,000 and with 100,000 tokens in the database.
// Prints "key=value" lines for bench/api.sh. Arguments: <path of CertTokenPortal.dll> [seconds per run] [clients]
if (args is ["postgresql", .. var scaleOutArgs])
{
    // bench/postgres.sh: SQLite beside PostgreSQL with one and two instances, and the 100,000-token list on PostgreSQL.
    await ScaleOutBench.RunAsync(scaleOutArgs);
    return;
}
var portalDll = Path.GetFullPath(args[0]);
if (args.Length > 1 && args[1] == "queue")
{
    // bench/queue.sh: GET /token/ while RSA-4096 key generations wait in the bounded queue.
    await QueueBench.RunAsync(portalDll, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200);
    return;
}
var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var clients = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
var dataDirectory = Path.Combine(Path.GetTempPath(), $"ctp-apibench-{Guid.NewGuid():N}");
// The listing runs get a data directory of their own, so that the enrolments above do not add to their token counts.
var listDirectory = Path.Combine(Path.GetTempPath(), $"ctp-apibench-list-{Guid.NewGuid():N}");
const int port = 5391;

void Report(string key, object value) => Console.WriteLine(FormattableString.Invariant($"{key}={value}"));

// Client-side CSRs, made before the clock runs: RSA 2048 keys, as most clients send.
var csrs = Enumerable.Range(0, 64).Select(i =>
{
    using var key = RSA.Create(2048);
    return new CertificateRequest($"CN=api{i:D3},O=Bench", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();
}).ToArray();

try
{
    await using (var portal = await PortalProcess.StartAsync(portalDll, dataDirectory, port))
    {
        var token = await LoginAsync(portal.BaseAddress);
        using var admin = Client(portal.BaseAddress, token);
        var ec = await admin.PostAsync("caconnector/benchEC", Form(("type", "local"), ("subject", "CN=Bench EC Root"), ("keytype", "ec"), ("curve", "P-384")));
        Check(ec.IsSuccessStatusCode, await ec.Content.ReadAsStringAsync());
        // Names from the request (the bench's CSRs name api001..api063 of O=Bench), as the seeded server template takes them.
        var template = await admin.PostAsync("caconnector/benchEC/template/user", Form(("days", "365"),
            ("key_usage", "digitalSignature,keyEncipherment"), ("extended_key_usage", "clientAuth,emailProtection"), ("default", "1"),
            ("subject_source", "csr"), ("allowed_rdns", "CN,O")));
        Check(template.IsSuccessStatusCode, await template.Content.ReadAsStringAsync());

        foreach (var (ca, label) in new[] { ("localCA", "rsa3072"), ("benchEC", "ecp384") })
        {
            // Warm-up: the runtime's tiered, profile-guided JIT keeps improving the hot paths for half a minute
            // (measured: 100, 174, 200, 192, 249 enrolments/s in five 8-second runs after start); later CAs reuse it.
            await EnrolForAsync(portal.BaseAddress, token, ca, ca == "localCA" ? 40 : 10, clients);
            var (count, elapsed) = await EnrolForAsync(portal.BaseAddress, token, ca, seconds, clients);
            Report($"api_enrol_{label}_per_second", Math.Round(count / elapsed, 1));
            var (single, singleElapsed) = await EnrolForAsync(portal.BaseAddress, token, ca, seconds / 2, 1);
            Report($"api_enrol_{label}_one_client_per_second", Math.Round(single / singleElapsed, 1));
        }
        Report("api_clients", clients);
    }

    foreach (var total in new[] { 1_000, 100_000 })
    {
        if (!Directory.Exists(listDirectory))
        {
            // First start migrates and seeds the empty database; the tokens are added while the portal is stopped.
            await using (await PortalProcess.StartAsync(portalDll, listDirectory, port)) { }
        }
        await TokenSeeder.SeedAsync(listDirectory, total);
        await using var portal = await PortalProcess.StartAsync(portalDll, listDirectory, port);
        var token = await LoginAsync(portal.BaseAddress);
        using var client = Client(portal.BaseAddress, token);
        var count = (await GetJson(client, "token/?pagesize=15")).GetProperty("result").GetProperty("value").GetProperty("count").GetInt32();
        var latePage = (int)(count * 0.9 / 15);
        Report($"list_{total}_count", count);
        Report($"list_{total}_page1_ms", await MedianMsAsync(client, "token/?page=1&pagesize=15"));
        Report($"list_{total}_late_page", latePage);
        Report($"list_{total}_late_ms", await MedianMsAsync(client, $"token/?page={latePage}&pagesize=15"));
        Report($"list_{total}_middle_ms", await MedianMsAsync(client, $"token/?page={count / 30}&pagesize=15"));
        Report($"list_{total}_user_filter_ms", await MedianMsAsync(client, "token/?user=user0042&pagesize=15"));
    }
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    foreach (var directory in new[] { dataDirectory, listDirectory })
    {
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }
}

async Task<(int Count, double Elapsed)> EnrolForAsync(Uri baseAddress, string token, string ca, double runSeconds, int clientCount)
{
    var count = 0;
    var failures = 0;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clientCount).Select(async c =>
    {
        using var client = Client(baseAddress, token);
        var i = c;
        while (watch.Elapsed.TotalSeconds < runSeconds)
        {
            // localCA's default template takes the names from the owner; its server template takes the request's.
            var response = await client.PostAsync("token/init", Form(("type", "certificate"), ("ca", ca),
                ("template", ca == "localCA" ? "server" : "user"), ("request", csrs[i++ % csrs.Length])));
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
    Check(failures == 0, $"{failures} enrolments failed");
    return (count, watch.Elapsed.TotalSeconds);
}

async Task<double> MedianMsAsync(HttpClient client, string path)
{
    for (var i = 0; i < 5; i++)
    {
        await GetJson(client, path); // warm-up
    }
    var times = new List<double>();
    for (var i = 0; i < 41; i++)
    {
        var watch = Stopwatch.StartNew();
        await GetJson(client, path);
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    return Math.Round(times[times.Count / 2], 2);
}

async Task<JsonElement> GetJson(HttpClient client, string path)
{
    var response = await client.GetAsync(path);
    var body = await response.Content.ReadAsStringAsync();
    Check(response.IsSuccessStatusCode, body);
    return JsonDocument.Parse(body).RootElement;
}

async Task<string> LoginAsync(Uri baseAddress)
{
    using var client = new HttpClient { BaseAddress = baseAddress };
    var response = await client.PostAsync("auth", Form(("username", "admin"), ("password", PortalProcess.AdminPassword)));
    var json = await response.Content.ReadFromJsonAsync<JsonElement>();
    return json.GetProperty("result").GetProperty("value").GetProperty("token").GetString()!;
}

static HttpClient Client(Uri baseAddress, string token)
{
    var client = new HttpClient { BaseAddress = baseAddress };
    client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
    return client;
}

static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
    new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

static void Check(bool condition, string? message)
{
    if (!condition)
    {
        throw new InvalidOperationException(message);
    }
}
