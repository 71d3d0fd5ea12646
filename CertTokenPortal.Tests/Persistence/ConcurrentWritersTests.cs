using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Local;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Secrets;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Lifecycle;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Persistence;

/// <summary>
/// What SQLite's single writer gave for free must hold with parallel writers on PostgreSQL too: the owner's quota, one
/// revocation per token, distinct CRL numbers, unique serials, one shared secret and one key ring. Every test races
/// writers through the real use cases; the same tests run on both providers.
/// </summary>
public abstract class ConcurrentWritersTests(CoreFixture fixture)
{
    private readonly PolicyScenario _s = new(fixture.Core);
    private CoreServices Core => fixture.Core;

    [Fact]
    public async Task Enrol_QuotaRace_ExactlyTheQuotaSucceeds()
    {
        var alice = await _s.UserAsync();
        await _s.PolicyAsync("max_token_user=2");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _s.EnrolCsrAsync(alice))));

        Assert.Equal(2, results.Count(r => r.IsSuccess));
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorKind.Conflict, r.Error!.Kind));
        Assert.Equal(2, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task Enrol_ParallelEnrolmentsForManyOwners_AllSavedWithDistinctSerials()
    {
        var users = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _s.UserAsync()));

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => _s.EnrolCsrAsync(users[i % 4]))));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.Equal(12, results.Select(r => r.Value.Token.Serial).Distinct().Count());
        Assert.Equal(12, users.Sum(u => _s.TokenCount(u.UserName)));
    }

    [Fact]
    public async Task Revoke_ParallelRevocationsOfOneToken_ExactlyOneSucceedsAndOneAuditSuccess()
    {
        var alice = await _s.UserAsync();
        var token = (await _s.EnrolCsrAsync(alice)).Value.Token;

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => Core.InScopeAsync(sp =>
            sp.GetRequiredService<RevokeTokenCommand>().ExecuteAsync(TestPki.Admin, token.Serial, i % 2 == 0 ? "superseded" : "keyCompromise")))));

        Assert.Single(results, r => r.IsSuccess);
        // The later ones meet a revoked token: privacyIDEA's "token locked" (400), not a second revocation.
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorReason.TokenLocked, r.Error!.Reason));
        await using var db = Core.NewDb();
        Assert.Single(await db.AuditEntries.Where(a => a.Serial == token.Serial && a.Action == AuditActions.TokenRevoke && a.Success).ToListAsync());
        var ledger = await db.IssuedCertificates.SingleAsync(c => c.TokenSerial == token.Serial);
        Assert.Equal(IssuedCertificateStatus.Revoked, ledger.Status);
    }

    [Fact]
    public async Task PublishCrl_ConcurrentPublishers_DistinctStrictlyIncreasingNumbers()
    {
        var first = await TestPki.ConnectorAsync<ICrlPublisher>(Core);
        var second = await TestPki.ConnectorAsync<ICrlPublisher>(Core);
        var before = (await first.GetCurrentCrlAsync(default))?.Number ?? 0;

        var published = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).PublishCrlAsync(default))));

        Assert.Equal(Enumerable.Range(1, 8).Select(i => before + i), published.Select(c => c.Number).Order());
        Assert.Equal(before + 8, (await first.GetCurrentCrlAsync(default))!.Number);
    }

    [Fact]
    public async Task SecondInstance_SameDatabase_SharesJwtKeyAndKeyRing()
    {
        // A second set of Core services on the same database, as a second portal process would have.
        await using var other = await CoreServices.StartAsync(SameDatabase());
        var protectedByFirst = Core.Get<IDataProtectionProvider>().CreateProtector("test").Protect("secret"u8.ToArray());

        var keys = await Task.WhenAll(
            Task.Run(() => Core.Get<ApplicationSecretStore>().GetOrCreate("shared-test-secret", 32)),
            Task.Run(() => other.Get<ApplicationSecretStore>().GetOrCreate("shared-test-secret", 32)));

        Assert.Equal(keys[0], keys[1]);
        Assert.Equal(Core.Get<ApplicationSecretStore>().GetOrCreate(ApplicationSecretStore.JwtSigningKey, 32),
            other.Get<ApplicationSecretStore>().GetOrCreate(ApplicationSecretStore.JwtSigningKey, 32));
        Assert.Equal("secret"u8.ToArray(), other.Get<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedByFirst));
    }

    private Dictionary<string, string?> SameDatabase() => new()
    {
        ["Portal:Database:Provider"] = fixture.Provider.ToString().ToLowerInvariant(),
        ["ConnectionStrings:Portal"] = Core.Configuration.GetConnectionString("Portal")
                                       ?? $"Data Source={Path.Combine(Core.DataDirectory, "portal.db")}",
    };
}

[Trait("Category", "Unit")]
public sealed class ConcurrentWritersOnSqliteTests(CoreFixture fixture) : ConcurrentWritersTests(fixture), IClassFixture<CoreFixture>;

[Trait("Category", "ExternalTool"), Trait("Database", "PostgreSql")]
public sealed class ConcurrentWritersOnPostgreSqlTests(CoreFixture.OnPostgreSql fixture) : ConcurrentWritersTests(fixture), IClassFixture<CoreFixture.OnPostgreSql>;
