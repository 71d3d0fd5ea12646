using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Persistence;

/// <summary>
/// The durability contract under group commit, on SQLite: the portal process (built output, Production) is killed
/// with SIGKILL while many enrolments share commits. Every enrolment that was answered is in the database, whole
/// (certificate and CA ledger line); no token is half-written.
/// </summary>
[Trait("Category", "ExternalTool")]
public sealed class KillUnderLoadTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new("ctp-kill");
    private PortalProcess _portal = null!;

    public async Task InitializeAsync() =>
        _portal = await PortalProcess.StartAsync(PortalProcess.BuiltDll, CoreServices.Settings(_data.Path, new Dictionary<string, string?>()));

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        CoreServices.DeleteDataDirectory(_data);
    }

    [Fact]
    public async Task Enrol_KilledUnderParallelLoad_EveryAnsweredEnrolmentSavedWhole()
    {
        using var client = await LoginAsync();
        var answered = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var csr = TestCsrs.Rsa("admin");
        // 16 clients enrolling back to back: their records queue behind each other's commits and are written in batches.
        var clients = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var answer = await client.PostAsync("token/init", Form(("type", "certificate"), ("user", "admin"), ("ca", "localCA"), ("request", csr)));
                if (answer.StatusCode != HttpStatusCode.OK)
                {
                    continue;
                }
                var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
                answered.Add(body.GetProperty("detail").GetProperty("serial").GetString()!);
            }
        })).ToList();
        var until = DateTime.UtcNow + TestTimeouts.Patience;
        while (answered.Count < 40 && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }
        await _portal.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(clients.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        Assert.True(answered.Count >= 40, $"only {answered.Count} enrolments were answered before the kill");

        await using var db = new Core.Persistence.PortalDbContext(new DbContextOptionsBuilder<Core.Persistence.PortalDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_data.Path, "portal.db")}").Options);
        var tokens = await db.Tokens.AsNoTracking().Where(t => t.OwnerUserName == "admin").ToListAsync();
        var ledger = (await db.IssuedCertificates.AsNoTracking().Select(c => c.TokenSerial).ToListAsync()).ToHashSet();
        Assert.All(answered, serial => Assert.Contains(serial, tokens.Select(t => t.Serial)));
        Assert.All(tokens, t => Assert.True(t.RolloutState == RolloutState.Enrolled && t.CertificatePem is not null && ledger.Contains(t.Serial),
            $"token {t.Serial} is {t.RolloutState}, certificate {(t.CertificatePem is null ? "missing" : "present")}, ledger line {(ledger.Contains(t.Serial) ? "present" : "missing")}"));
        SqliteConnection.ClearAllPools();
    }

    private async Task<HttpClient> LoginAsync()
    {
        var client = _portal.CreateClient();
        var answer = await client.PostAsync("auth", Form(("username", "admin"), ("password", CoreServices.AdminPassword)));
        var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.True(answer.StatusCode == HttpStatusCode.OK, body.ToString());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            body.GetProperty("result").GetProperty("value").GetProperty("token").GetString());
        return client;
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
}
