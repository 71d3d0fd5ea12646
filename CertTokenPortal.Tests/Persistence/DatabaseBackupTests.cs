using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Local;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Tokens.Lifecycle;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Persistence;

/// <summary>
/// A backup holds the database and the key ring together: restored into a portal that has never seen the original's
/// data directory, it still decrypts the CA key and the stored PKCS#12 files.
/// </summary>
public abstract class DatabaseBackupTests(CoreFixture fixture)
{
    private const string Pin = "Backup-PIN-42";
    private readonly PolicyScenario _s = new(fixture.Core);
    private CoreServices Core => fixture.Core;

    [Fact]
    public async Task CreateAsync_RestoredIntoFreshPortal_ReadsCaKeyAndStoredPkcs12()
    {
        var alice = await _s.UserAsync();
        var enrolled = await _s.EnrolAsync(alice, new EnrolmentRequest { GenerateKey = true, KeyType = "ec", CaName = "localCA", Pin = Pin });
        Assert.True(enrolled.IsSuccess, enrolled.Error?.Message);
        var serial = enrolled.Value.Token.Serial;
        using var backup = new TempDirectory("ctp-backup");

        var manifest = await Core.InScopeAsync(sp => sp.GetRequiredService<DatabaseBackup>().CreateAsync(backup.Path, default));

        Assert.True(File.Exists(backup.File(manifest.File)));
        Assert.True(File.Exists(backup.File("backup.json")));
        await using var restored = await CoreServices.StartAsync(await RestoreAsync(backup.File(manifest.File)));
        var pkcs12 = await restored.InScopeAsync(sp => sp.GetRequiredService<DownloadPkcs12Query>().ExecuteAsync(TestPki.Admin, serial));
        Assert.True(pkcs12.IsSuccess, pkcs12.Error?.Message);
        using var opened = X509CertificateLoader.LoadPkcs12(pkcs12.Value, Pin);
        Assert.True(opened.HasPrivateKey);
        Assert.Equal(enrolled.Value.Token.CertificateSerial, opened.SerialNumber);
        await using var db = restored.NewDb();
        var caId = await db.CaConnectors.Where(c => c.Name == "localCA").Select(c => c.Id).SingleAsync();
        var signer = await restored.Get<LocalCaKeyStore>().GetSignerAsync(caId, default);
        Assert.NotNull(signer);
    }

    /// <summary>Restores the backup file as README's Deploy section says; returns the settings of a portal on the copy.</summary>
    protected abstract Task<Dictionary<string, string?>> RestoreAsync(string backupFile);
}

[Trait("Category", "Unit")]
public sealed class DatabaseBackupOnSqliteTests(CoreFixture fixture) : DatabaseBackupTests(fixture), IClassFixture<CoreFixture>
{
    private readonly TempDirectory _restored = new("ctp-restored");

    protected override Task<Dictionary<string, string?>> RestoreAsync(string backupFile)
    {
        File.Copy(backupFile, _restored.File("portal.db"));
        return Task.FromResult(new Dictionary<string, string?> { ["ConnectionStrings:Portal"] = $"Data Source={_restored.File("portal.db")}" });
    }
}

[Trait("Category", "ExternalTool"), Trait("Database", "PostgreSql")]
public sealed class DatabaseBackupOnPostgreSqlTests(CoreFixture.OnPostgreSql fixture) : DatabaseBackupTests(fixture), IClassFixture<CoreFixture.OnPostgreSql>
{
    protected override async Task<Dictionary<string, string?>> RestoreAsync(string backupFile)
    {
        var server = await PostgreSqlServer.GetAsync();
        var settings = await TestDatabase.SettingsAsync(DatabaseProvider.PostgreSql);
        var database = new Npgsql.NpgsqlConnectionStringBuilder(settings["ConnectionStrings:Portal"]).Database!;
        var restore = server.RunTool("pg_restore", "--no-owner", "--host=127.0.0.1", $"--port={server.Port}", "--username=postgres",
            $"--dbname={database}", backupFile);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        return settings;
    }
}
