using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CertTokenPortal.Tests.Persistence;

/// <summary>
/// The migration that makes a token's owner its account id fills the id in for existing tokens, on both providers:
/// tokens of a living account get its id, tokens of a deleted account and unassigned ones none.
/// </summary>
public abstract class TokenOwnerIdMigrationTests(DatabaseProvider provider)
{
    /// <summary>The migration that adds the owner id (the one before it is where the test's old rows are written).</summary>
    private const string OwnerIdMigration = "_Issue11Issue13OwnerIdNamesThrottle";

    [Fact]
    public async Task Migrate_ExistingTokens_GetTheIdOfTheAccountThatHoldsTheirOwnerName()
    {
        using var dir = new TempDirectory();
        var connection = provider == DatabaseProvider.Sqlite
            ? $"Data Source={dir.File("portal.db")}"
            : await (await PostgreSqlServer.GetAsync()).CreateDatabaseAsync();
        var options = PortalDatabase.Configure(new DbContextOptionsBuilder<PortalDbContext>(), provider, connection).Options;
        await using var db = new PortalDbContext((DbContextOptions<PortalDbContext>)options);
        var migrations = db.Database.GetMigrations().ToList();
        var before = migrations[migrations.FindIndex(m => m.EndsWith(OwnerIdMigration, StringComparison.Ordinal)) - 1];
        await db.GetService<IMigrator>().MigrateAsync(before);
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO \"AspNetUsers\" (\"Id\", \"UserName\", \"NormalizedUserName\", \"Realm\", \"CreatedAt\", \"EmailConfirmed\", \"PhoneNumberConfirmed\", \"TwoFactorEnabled\", \"LockoutEnabled\", \"AccessFailedCount\") " +
            "VALUES ('id-alice', 'alice', 'ALICE', 'default', {0}, FALSE, FALSE, FALSE, TRUE, 0)", DateTime.UtcNow);
        foreach (var (serial, owner, realm) in new[] { ("CRT00000001", "alice", "default"), ("CRT00000002", "alice", "other"), ("CRT00000003", "gone", "default"), ("CRT00000004", "", "") })
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"Tokens\" (\"Serial\", \"OwnerUserName\", \"OwnerRealm\", \"Description\", \"Active\", \"Revoked\", \"Locked\", \"RolloutState\", \"EnrolmentMode\", \"CreatedBy\", \"CreatedAt\", \"UpdatedAt\", \"Version\") " +
                "VALUES ({0}, {1}, {2}, '', TRUE, FALSE, FALSE, 'Enrolled', 'request', 'seed', {3}, {3}, {4})",
                serial, owner, realm, DateTime.UtcNow, Guid.NewGuid());
        }

        await db.Database.MigrateAsync();

        var owners = await db.Tokens.AsNoTracking().OrderBy(t => t.Serial).Select(t => t.OwnerId).ToListAsync();
        Assert.Equal(["id-alice", null, null, null], owners);
    }
}

[Trait("Category", "Unit")]
public sealed class TokenOwnerIdMigrationOnSqliteTests() : TokenOwnerIdMigrationTests(DatabaseProvider.Sqlite);

[Trait("Category", "ExternalTool")]
[Trait("Database", "PostgreSql")]
public sealed class TokenOwnerIdMigrationOnPostgreSqlTests() : TokenOwnerIdMigrationTests(DatabaseProvider.PostgreSql);
