using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CertTokenPortal.Tests.Cluster;

/// <summary>
/// Two portal processes (the built output, in Production) on one PostgreSQL database, as two instances behind a load
/// balancer: what one does, the other sees at once; limits hold across both; a login on one is valid on the other;
/// a crashed instance leaves nothing half-written and its background work passes to the survivor.
/// </summary>
[Trait("Category", "ExternalTool"), Trait("Database", "PostgreSql")]
public sealed class TwoInstanceTests : IAsyncLifetime
{
    private readonly TempDirectory _dataA = new("ctp-a");
    private readonly TempDirectory _dataB = new("ctp-b");
    private readonly TempDirectory _work = new("ctp-two");
    private string _connection = "";
    private PortalProcess _a = null!;
    private PortalProcess _b = null!;

    public async Task InitializeAsync()
    {
        _connection = await (await PostgreSqlServer.GetAsync()).CreateDatabaseAsync();
        // A starts first and migrates; B then starts on the migrated, seeded database, as a second instance does.
        _a = await PortalProcess.StartAsync(PortalProcess.BuiltDll, Settings(_dataA));
        _b = await PortalProcess.StartAsync(PortalProcess.BuiltDll, Settings(_dataB));
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _dataA.Dispose();
        _dataB.Dispose();
        _work.Dispose();
    }

    private Dictionary<string, string?> Settings(TempDirectory data) => CoreServices.Settings(data.Path, new Dictionary<string, string?>
    {
        ["Portal:Database:Provider"] = "postgresql",
        ["ConnectionStrings:Portal"] = _connection,
        ["Portal:PendingRequests:PollIntervalSeconds"] = "1",
        ["Portal:Cluster:LeaseGraceSeconds"] = "2",
    });

    [Fact]
    public async Task EnrolOnA_RevokeOnB_CrlAndOcspOfAShowItRevokedAtOnce()
    {
        var onA = await LoginAsync(_a);
        var onB = await LoginAsync(_b);
        var enrolled = await PostAsync(onA, "token/init", ("type", "certificate"), ("user", "admin"), ("ca", "localCA"), ("request", TestCsrs.Rsa("admin")));
        var serial = enrolled.GetProperty("detail").GetProperty("serial").GetString()!;
        var token = await GetAsync(onA, $"token/{serial}");
        var info = token.GetProperty("result").GetProperty("value").GetProperty("info");
        var certSerial = info.GetProperty("cert_serial").GetString()!;
        var certificate = _work.File("cert.pem");
        await File.WriteAllTextAsync(certificate, info.GetProperty("certificate").GetString());

        await PostAsync(onB, "token/revoke", ("serial", serial), ("reason", "keyCompromise"));

        var crl = _work.File("a.crl");
        await File.WriteAllBytesAsync(crl, await onA.GetByteArrayAsync("ca/localCA/crl"));
        var crlText = ExternalTool.OpenSsl("crl", "-inform", "DER", "-in", crl, "-noout", "-text").StdOut;
        Assert.Contains(certSerial.TrimStart('0'), crlText.Replace(":", "").ToUpperInvariant());
        var issuer = _work.File("ca.pem");
        await File.WriteAllBytesAsync(issuer, await onA.GetByteArrayAsync("ca/localCA/cert.pem"));
        var ocsp = ExternalTool.OpenSsl("ocsp", "-issuer", issuer, "-cert", certificate, "-url", new Uri(_a.BaseAddress, "ca/localCA/ocsp").ToString(),
            "-CAfile", issuer, "-no_nonce");
        Assert.Contains($"{certificate}: revoked", ocsp.StdOut);
    }

    [Fact]
    public async Task QuotaRace_AcrossBothInstances_ExactlyTheQuota()
    {
        var onA = await LoginAsync(_a);
        var onB = await LoginAsync(_b);
        var realm = $"q{Guid.NewGuid():N}"[..12];
        await PostAsync(onA, "user/", ("username", "quinn"), ("password", PortalUsers.Password), ("realm", realm), ("role", "user"));
        await PostAsync(onA, $"policy/quota-{realm}", ("scope", "enrollment"), ("realm", realm), ("priority", "1"), ("action", "max_token_user=3"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => (i % 2 == 0 ? onA : onB).PostAsync("token/init", Form(
            ("type", "certificate"), ("user", "quinn"), ("realm", realm), ("ca", "localCA"), ("request", TestCsrs.Rsa("quinn"))))));

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        await using var db = await NewDbAsync();
        Assert.Equal(3, await db.Tokens.CountAsync(t => t.OwnerUserName == "quinn" && t.OwnerRealm == realm));
    }

    [Fact]
    public async Task LoginCookieFromA_UsedOnB_Authenticated()
    {
        var cookies = new CookieContainer();
        using var browserA = _a.CreateClient(cookies);
        var login = await browserA.PostLoginAsync("admin", CoreServices.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var authCookie = cookies.GetCookies(_a.BaseAddress)["CertTokenPortal.Auth"];
        Assert.NotNull(authCookie);

        var onB = new CookieContainer();
        onB.Add(_b.BaseAddress, new Cookie(authCookie.Name, authCookie.Value));
        using var browserB = _b.CreateClient(onB);
        var page = await browserB.GetPageAsync("/tokens");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var anonymous = _b.CreateClient();
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetPageAsync("/tokens")).StatusCode); // the cookie is what lets B in
    }

    [Fact]
    public async Task KillAMidWork_NothingHalfWritten_BTakesOverBackgroundWork()
    {
        var onA = await LoginAsync(_a);
        await WaitForAsync(async () => await LeaseHolderAsync("pending-request-poll") is not null, "a lease holder");
        var holderBefore = await LeaseHolderAsync("pending-request-poll");

        // Enrolments with generated keys keep A busy; it dies while some are in flight.
        var inFlight = Enumerable.Range(0, 8).Select(i => onA.PostAsync("token/init", Form(
            ("type", "certificate"), ("user", "admin"), ("ca", "localCA"), ("genkey", "1"), ("keytype", "rsa"), ("keysize", "3072"),
            ("pin", "Kill-Test-PIN-1")))).ToList();
        await Task.Delay(TimeSpan.FromMilliseconds(1500));
        await _a.KillAsync();
        await Task.WhenAll(inFlight.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

        await using (var db = await NewDbAsync())
        {
            var tokens = await db.Tokens.AsNoTracking().ToListAsync();
            Assert.All(tokens, t => Assert.True(
                t.RolloutState == RolloutState.Enrolled ? t.CertificatePem is not null && t.EncryptedPkcs12 is not null : t.RolloutState == RolloutState.Failed,
                $"token {t.Serial} is {t.RolloutState} with certificate {(t.CertificatePem is null ? "missing" : "present")}"));
            var ledger = await db.IssuedCertificates.AsNoTracking().Select(c => c.TokenSerial).ToListAsync();
            Assert.All(tokens.Where(t => t.RolloutState == RolloutState.Enrolled), t => Assert.Contains(t.Serial, ledger));
        }

        // Whoever held the poller's lease, B holds it once A's has run out (2 x 1 s + 2 s grace).
        await WaitForAsync(async () => await LeaseHolderAsync("pending-request-poll") is { } holder && holder.Contains($"/{_b.Id}/"),
            $"B to take the lease over from {holderBefore}");
        var onB = await LoginAsync(_b);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("readyz")).StatusCode);
    }

    private async Task<string?> LeaseHolderAsync(string name)
    {
        await using var db = await NewDbAsync();
        return await db.ClusterLeases.Where(l => l.Name == name && l.ExpiresAt > DateTime.UtcNow).Select(l => l.Holder).SingleOrDefaultAsync();
    }

    private Task<Core.Persistence.PortalDbContext> NewDbAsync() =>
        Task.FromResult(new Core.Persistence.PortalDbContext(new DbContextOptionsBuilder<Core.Persistence.PortalDbContext>()
            .UseNpgsql(_connection).Options));

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"Waited 60 s for {what}.");
            await Task.Delay(250);
        }
    }

    private static async Task<HttpClient> LoginAsync(PortalProcess portal)
    {
        var client = portal.CreateClient();
        var answer = await client.PostAsync("auth", Form(("username", "admin"), ("password", CoreServices.AdminPassword)));
        var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.True(answer.StatusCode == HttpStatusCode.OK, body.ToString());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            body.GetProperty("result").GetProperty("value").GetProperty("token").GetString());
        return client;
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, params (string Name, string Value)[] fields)
    {
        var answer = await client.PostAsync(path, Form(fields));
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"POST {path}: {(int)answer.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        var answer = await client.GetAsync(path);
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)answer.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
}
