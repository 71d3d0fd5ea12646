using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CertTokenPortal.ApiBench;

/// <summary>
/// How the portal answers while many RSA-4096 key generations wait in its bounded work queue: the time of
/// GET /token/ meanwhile, how many enrolments were taken and how many answered 503, and that the clients that gave up
/// left no tokens behind. Two runs: a queue long enough for every request, and the default queue (32).
/// </summary>
internal static class QueueBench
{
    private const int Port = 5392;

    public static async Task RunAsync(string portalDll, int requests)
    {
        Console.WriteLine(FormattableString.Invariant($"queue_requests={requests}"));
        foreach (var (label, queueLength) in new[] { ("all_queued", requests), ("default_queue", 32) })
        {
            var data = Path.Combine(Path.GetTempPath(), $"ctp-queuebench-{Guid.NewGuid():N}");
            try
            {
                await using var portal = await PortalProcess.StartAsync(portalDll, data, Port,
                    new Dictionary<string, string>
                    {
                        ["Portal__Work__QueueLength"] = queueLength.ToString(CultureInfo.InvariantCulture),
                        // The per-user enrolment limit (30 a minute) would answer most of the 200 with 429 before they
                        // reach the queue this bench is about.
                        ["Portal__RateLimits__Enabled"] = "false",
                    });
                await RunOnceAsync(portal.BaseAddress, label, requests);
            }
            finally
            {
                try { Directory.Delete(data, recursive: true); } catch (IOException) { }
            }
        }
    }

    private static async Task RunOnceAsync(Uri baseAddress, string label, int requests)
    {
        var token = await LoginAsync(baseAddress);
        using var list = Client(baseAddress, token);
        await ListAsync(list); // warm-up
        using var gone = new CancellationTokenSource();
        var ok = 0;
        var busy = 0;
        var other = 0;
        using var enrolClient = Client(baseAddress, token);
        enrolClient.Timeout = Timeout.InfiniteTimeSpan;
        var enrolments = Enumerable.Range(0, requests).Select(async _ =>
        {
            try
            {
                var response = await enrolClient.PostAsync("token/init", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["type"] = "certificate", ["ca"] = "localCA", ["genkey"] = "1", ["keytype"] = "rsa", ["keysize"] = "4096",
                }), gone.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref ok);
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref busy);
                }
                else
                {
                    Interlocked.Increment(ref other);
                }
            }
            catch (OperationCanceledException)
            {
                // the client gave up, as the clients of the report did
            }
        }).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2));

        var times = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            var watch = Stopwatch.StartNew();
            await ListAsync(list);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Report($"queue_{label}_list_median_ms", Math.Round(times[times.Count / 2], 1));
        Report($"queue_{label}_list_max_ms", Math.Round(times[^1], 1));
        Report($"queue_{label}_busy_503", Volatile.Read(ref busy));
        Report($"queue_{label}_other_failures", Volatile.Read(ref other));

        await gone.CancelAsync();
        await Task.WhenAll(enrolments);
        var completed = Volatile.Read(ref ok);
        await Task.Delay(TimeSpan.FromSeconds(5)); // what was running finishes; what waited must stop unwritten
        var tokens = (await ListAsync(list)).GetProperty("result").GetProperty("value").GetProperty("count").GetInt32();
        Report($"queue_{label}_enrolled_before_abort", completed);
        Report($"queue_{label}_tokens_after_abort", tokens);
    }

    private static async Task<JsonElement> ListAsync(HttpClient client)
    {
        var response = await client.GetAsync("token/?pagesize=15");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static async Task<string> LoginAsync(Uri baseAddress)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var response = await client.PostAsync("auth", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "admin", ["password"] = PortalProcess.AdminPassword,
        }));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return json.GetProperty("result").GetProperty("value").GetProperty("token").GetString()!;
    }

    private static HttpClient Client(Uri baseAddress, string token)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        return client;
    }

    private static void Report(string key, object value) => Console.WriteLine(FormattableString.Invariant($"{key}={value}"));
}
