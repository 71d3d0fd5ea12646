using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Renewal;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CertTokenPortal.Tests.Persistence;

/// <summary>The renewal migration's data part: existing tokens that hold a certificate get it as their current history row.</summary>
[Trait("Category", "Unit")]
public sealed class RenewalMigrationTests : IDisposable
{
    private readonly TempDirectory _dir = new("ctp-migration");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task Migrate_ExistingTokens_CurrentCertificateBackfilledPendingOnesNot()
    {
        var options = PortalDatabase.Configure(new DbContextOptionsBuilder<PortalDbContext>(), DatabaseProvider.Sqlite,
            $"Data Source={_dir.File("portal.db")}").Options;
        await using var db = new PortalDbContext((DbContextOptions<PortalDbContext>)options);
        var migrator = db.GetService<IMigrator>();
        var all = db.Database.GetMigrations().ToList();
        var renewal = all.Single(m => m.EndsWith("_Issue14Renewal", StringComparison.Ordinal));
        await migrator.MigrateAsync(all[all.IndexOf(renewal) - 1]);
        var now = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO "Tokens" ("Serial", "OwnerUserName", "OwnerRealm", "Description", "Active", "Revoked", "Locked", "RolloutState",
                "EnrolmentMode", "CaName", "TemplateName", "CertificatePem", "CertificateSerial", "Subject", "NotAfter", "CreatedBy", "CreatedAt", "UpdatedAt", "Version")
            VALUES ('CRT0000AAAA', 'alice', 'default', '', 1, 0, 0, 'Enrolled', 'request', 'localCA', 'user', 'PEM', '0A0B', 'CN=alice', {now}, 'helen', {now}, {now}, {Guid.NewGuid()}),
                   ('CRT0000BBBB', 'bob', 'default', '', 1, 0, 0, 'Pending', 'request', 'localCA', 'user', NULL, NULL, NULL, NULL, 'helen', {now}, {now}, {Guid.NewGuid()})
            """);

        await migrator.MigrateAsync();

        var rows = await db.TokenCertificates.AsNoTracking().ToListAsync();
        var row = Assert.Single(rows);
        Assert.Equal(("CRT0000AAAA", TokenCertificateStates.Current, TokenCertificateOrigins.Enrolment, "0A0B", "helen"),
            (row.TokenSerial, row.State, row.Origin, row.CertificateSerial, row.CreatedBy));
        Assert.Equal(now, row.NotAfter);
        Assert.Equal((await db.Tokens.SingleAsync(t => t.Serial == "CRT0000AAAA")).Id, row.TokenId);
    }
}
