using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Bench;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using CertTokenPortal.Core.CaConnectors.Local;
using CertTokenPortal.Core.CaConnectors.Local.Administration;
using CertTokenPortal.Core.CaConnectors.Templates;

// Measures the PKI engine on this machine and prints "key=value" lines for bench/pki.sh to put beside openssl.
// Arguments: <folder for the CSRs (PEM files), read by the openssl ca loop> [number of CSRs] [seconds per issuance run]
var csrDir = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "ctp-bench-csrs");
var csrCount = args.Length > 1 ? int.Parse(args[1]) : 200;
var seconds = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 5;
var admin = new Actor("bench", "default", PortalRoles.Admin, null);
var owner = new CertificateOwner("bench", "default", "bench@example.com");

await using var host = await BenchHost.StartAsync();

// The CSRs: RSA 2048 keys (what most clients send), written out so that openssl ca signs the very same requests.
Directory.CreateDirectory(csrDir);
var csrPems = new List<string>();
for (var i = 0; i < csrCount; i++)
{
    using var key = RSA.Create(2048);
    var pem = new CertificateRequest($"CN=user{i:D4},O=Bench", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequestPem();
    csrPems.Add(pem);
    File.WriteAllText(Path.Combine(csrDir, $"{i:D4}.csr"), pem);
}
Report("csr_count", csrCount);

// The two CA keys: the default CA (RSA 3072) and a new EC P-384 root, each with the default "user" template.
await using (var scope = host.Services.CreateAsyncScope())
{
    var created = await scope.ServiceProvider.GetRequiredService<CreateLocalRootCaCommand>().ExecuteAsync(admin,
        new NewRootCaRequest("benchEC", "CN=Bench EC Root") { KeyType = "ec", Curve = "P-384" });
    Check(created.IsSuccess, created.Error?.Message);
    var template = await scope.ServiceProvider.GetRequiredService<SetTemplateCommand>().ExecuteAsync(admin, "benchEC",
        new TemplateRequest("user", 365) { KeyUsage = "digitalSignature,keyEncipherment", ExtendedKeyUsage = "clientAuth,emailProtection" });
    Check(template.IsSuccess, template.Error?.Message);
}

foreach (var (ca, label) in new[] { ("localCA", "rsa3072"), ("benchEC", "ecp384") })
{
    var connector = (await host.Get<ICaConnectorRegistry>().GetAsync(ca)).Value;
    var parser = host.Get<CsrParser>();

    // Parse + sign through the connector; the ledger rows are added to the context and saved every 100 certificates,
    // as enrolments would save them with their tokens.
    async Task<int> Worker(Stopwatch watch, double runSeconds, int offset)
    {
        var db = host.NewDb();
        var count = 0;
        while (watch.Elapsed.TotalSeconds < runSeconds)
        {
            var parsed = parser.Parse(csrPems[(offset + count) % csrPems.Count]).Value;
            var outcome = await connector.IssueAsync(new CaIssueRequest(parsed, "user", owner), default);
            Check(outcome.Value is CaIssueOutcome.Issued, "issuance failed");
            db.IssuedCertificates.Add(IssuedCertificateRecord.From(((CaIssueOutcome.Issued)outcome.Value).Certificate.LedgerEntry!, null, DateTime.UtcNow));
            if (++count % 100 == 0)
            {
                await db.SaveChangesAsync();
                await db.DisposeAsync();
                db = host.NewDb();
            }
        }
        await db.SaveChangesAsync();
        await db.DisposeAsync();
        return count;
    }

    // Several workers issue at once, as concurrent enrolments would; they share the CA's key object.
    async Task<(int Count, double Elapsed, double Cpu)> Run(double runSeconds, int workers = 1)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => Worker(watch, runSeconds, w * 7))));
        var elapsed = watch.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        return (counts.Sum(), elapsed, cpu);
    }

    // One issuer on one thread, synchronously, so that the thread's own CPU time is the cost of its certificates.
    (int Count, double Elapsed, double ThreadCpu) RunOnOneThread(double runSeconds)
    {
        (int, double, double) result = default;
        var thread = new Thread(() =>
        {
            var cpuBefore = ThreadCpu.Now();
            var watch = Stopwatch.StartNew();
            var count = Worker(watch, runSeconds, 0).GetAwaiter().GetResult();
            result = (count, watch.Elapsed.TotalSeconds, (ThreadCpu.Now() - cpuBefore).TotalSeconds);
        });
        thread.Start();
        thread.Join();
        return result;
    }

    await Run(2); // warm-up: JIT tiers, key cache, SQLite pages
    var (issued, took, cpu) = await Run(seconds);
    var (issuedOne, _, threadCpu) = RunOnOneThread(seconds);
    // Per wall-clock second; per CPU second of the whole process (all threads); and per CPU second of the issuing
    // thread. openssl speed divides by the CPU time of its one thread, so the last is the like-for-like comparison
    // on a machine that other work shares.
    Report($"issue_{label}_per_s", issued / took);
    Report($"issue_{label}_per_cpu_s", issued / cpu);
    Report($"issue_{label}_per_thread_cpu_s", issuedOne / threadCpu);
    var (issuedParallel, tookParallel, _) = await Run(seconds, Environment.ProcessorCount);
    Report($"issue_{label}_parallel_per_s", issuedParallel / tookParallel);

    // The same, split up: parsing alone and signing alone, to show where the time goes.
    var watch = Stopwatch.StartNew();
    var parses = 0;
    while (watch.Elapsed.TotalSeconds < 1)
    {
        _ = parser.Parse(csrPems[parses++ % csrPems.Count]);
    }
    Report($"parse_{label}_us", watch.Elapsed.TotalMicroseconds / parses);
}

// Key generation and PKCS#12 per key type (server-side enrolment): key, CSR, certificate, PKCS#12.
var connectorRsa = (await host.Get<ICaConnectorRegistry>().GetAsync("localCA")).Value;
foreach (var (spec, rounds) in new[] { (KeySpec.Rsa(2048), 20), (KeySpec.Rsa(3072), 10), (KeySpec.Rsa(4096), 6), (KeySpec.Ec("P-256"), 40), (KeySpec.Ec("P-384"), 40) })
{
    double keyMs = 0, p12Ms = 0, allMs = 0;
    for (var i = 0; i <= rounds; i++) // round 0 warms up and is not counted
    {
        var all = Stopwatch.StartNew();
        var step = Stopwatch.StartNew();
        using var key = host.Get<KeyGenerator>().Generate(spec);
        var keyTime = step.Elapsed.TotalMilliseconds;
        var csr = host.Get<CsrBuilder>().Build(key, new X500DistinguishedName("CN=genkey"));
        await using var db = host.NewDb();
        var outcome = (CaIssueOutcome.Issued)(await connectorRsa.IssueAsync(new CaIssueRequest(csr, "user", owner), default)).Value;
        step.Restart();
        _ = host.Get<Pkcs12Builder>().Build(key, outcome.Certificate.Certificate, outcome.Certificate.Chain, "correct horse battery", "genkey");
        var p12Time = step.Elapsed.TotalMilliseconds;
        var allTime = all.Elapsed.TotalMilliseconds;
        if (i > 0)
        {
            keyMs += keyTime;
            p12Ms += p12Time;
            allMs += allTime;
        }
    }
    var name = spec.Description.Replace(" ", "").Replace("-", "").ToLowerInvariant();
    Report($"genkey_{name}_key_ms", keyMs / rounds);
    Report($"genkey_{name}_pkcs12_ms", p12Ms / rounds);
    Report($"genkey_{name}_total_ms", allMs / rounds);
}

// CRLs with 100,000 revoked entries: the builder alone, and publication through the local CA (read the ledger,
// build, sign, store) for both CA keys.
const int revokedCount = 100_000;
foreach (var (ca, label) in new[] { ("localCA", "rsa3072"), ("benchEC", "ecp384") })
{
    int caId;
    await using (var db = host.NewDb())
    {
        caId = await db.CaConnectors.Where(c => c.Name == ca).Select(c => c.Id).SingleAsync();
        await db.IssuedCertificates.Where(c => c.CaConnectorId == caId).ExecuteDeleteAsync();
        var now = DateTime.UtcNow;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var i = 0; i < revokedCount; i++)
        {
            db.IssuedCertificates.Add(new IssuedCertificateRecord
            {
                CaConnectorId = caId,
                SerialNumber = NewSerial(),
                Subject = "CN=revoked",
                NotBefore = now,
                NotAfter = now.AddYears(1),
                Status = IssuedCertificateStatus.Revoked,
                RevokedAt = now,
                RevocationReason = 1 + i % 5,
                IssuedAt = now,
            });
        }
        await db.SaveChangesAsync();
    }

    CaSigner signer;
    signer = await host.Get<LocalCaKeyStore>().GetSignerAsync(caId, default);
    var entries = Enumerable.Range(0, revokedCount)
        .Select(i => new RevokedEntry(NewSerial(), DateTime.UtcNow, (RevocationReason)(1 + i % 5)))
        .ToList();
    _ = CrlBuilder.Build(signer, 1, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(7), entries.Take(1000)); // warm-up
    var watch = Stopwatch.StartNew();
    var der = CrlBuilder.Build(signer, 2, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(7), entries);
    Report($"crl100k_{label}_build_ms", watch.Elapsed.TotalMilliseconds);
    Report($"crl100k_{label}_bytes", der.Length);

    watch.Restart();
    var published = await host.Get<LocalCrlPublisher>().PublishAsync(caId, default);
    Report($"crl100k_{label}_publish_ms", watch.Elapsed.TotalMilliseconds);
    Check(published.RevokedCount == revokedCount, "the CRL lost entries");
    File.WriteAllBytes(Path.Combine(csrDir, $"crl100k_{label}.der"), published.Der);
    File.WriteAllText(Path.Combine(csrDir, $"ca_{label}.pem"), signer.Certificate.ExportCertificatePem());
}

return 0;

// Serials as the portal makes them (hex, as the ledger stores them).
static string NewSerial() => Convert.ToHexString(SerialNumbers.New());

static void Report(string key, double value) =>
    Console.WriteLine(FormattableString.Invariant($"{key}={value:0.###}"));

static void Check(bool condition, string? message)
{
    if (!condition)
    {
        throw new InvalidOperationException(message ?? "check failed");
    }
}
