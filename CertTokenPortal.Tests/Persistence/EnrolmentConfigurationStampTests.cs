using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Cluster;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Persistence;

/// <summary>
/// The configuration stamp moves with every saved change to a CA connector, a template or an enrolment policy, in the
/// same transaction (the caller's if it has one), never for other writes, and never for a save that failed.
/// </summary>
public abstract class EnrolmentConfigurationStampTests(CoreFixture fixture)
{
    private readonly PolicyScenario _s = new(fixture.Core);
    private CoreServices Core => fixture.Core;

    public static TheoryData<string> Kinds => ["policy", "template", "connector"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SaveChanges_ConfigurationAddedChangedDeleted_StampMovesEachTime(string kind)
    {
        var name = $"s{Guid.NewGuid():N}"[..20];
        var start = await StampAsync();

        await SaveAsync(db => Add(db, kind, name));
        var added = await StampAsync();
        await SaveAsync(async db => Change(await FindAsync(db, kind, name)));
        var changed = await StampAsync();
        await SaveAsync(async db => db.Remove(await FindAsync(db, kind, name)));
        var deleted = await StampAsync();

        Assert.Equal([start + 1, start + 2, start + 3], [added, changed, deleted]);
        await using var check = Core.NewDb();
        Assert.Null(await FindOrNullAsync(check, kind, name));
    }

    [Fact]
    public async Task SaveChanges_EnrolmentAndOtherWrites_StampUnchanged()
    {
        var start = await StampAsync();

        var alice = await _s.UserAsync();
        var enrolled = await _s.EnrolCsrAsync(alice);
        await using (var db = Core.NewDb())
        {
            var token = await db.Tokens.SingleAsync(t => t.OwnerUserName == alice.UserName);
            token.Description = "changed";
            await db.SaveChangesAsync();
        }

        Assert.True(enrolled.IsSuccess, enrolled.Error?.Message);
        Assert.Equal(start, await StampAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SaveChanges_InCallersTransaction_BumpJoinsItAndShowsOnlyWithItsCommit(bool commit)
    {
        var name = $"s{Guid.NewGuid():N}"[..20];
        var start = await StampAsync();
        await using var db = Core.NewDb();
        await using var transaction = await db.Database.BeginTransactionAsync();

        Add(db, "policy", name);
        await db.SaveChangesAsync();
        var whileOpen = await StampAsync();
        Assert.Same(transaction, db.Database.CurrentTransaction); // the caller's, not committed for it
        if (commit)
        {
            await transaction.CommitAsync();
        }
        else
        {
            await transaction.RollbackAsync();
        }

        Assert.Equal(start, whileOpen);
        Assert.Equal(commit ? start + 1 : start, await StampAsync());
        await using var check = Core.NewDb();
        Assert.Equal(commit, await check.Policies.AnyAsync(p => p.Name == name));
    }

    [Theory]
    [InlineData("duplicate connector name")]
    [InlineData("delete of a missing policy")]
    public async Task SaveChanges_Fails_NoBumpNoOpenTransactionAndContextUsable(string failure)
    {
        var start = await StampAsync();
        await using var db = Core.NewDb();
        if (failure == "duplicate connector name")
        {
            Add(db, "connector", "localCA");
        }
        else
        {
            db.Policies.Remove(new EnrolmentPolicy { Id = int.MaxValue, Name = "gone" });
        }

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.Null(db.Database.CurrentTransaction);
        Assert.Equal(start, await StampAsync());
        // Nothing held: another context writes at once, and this one saves its next change with one bump.
        db.ChangeTracker.Clear();
        var name = $"s{Guid.NewGuid():N}"[..20];
        await SaveAsync(other => Add(other, "policy", name));
        Add(db, "policy", name + "x");
        await db.SaveChangesAsync();
        Assert.Equal(start + 2, await StampAsync());
    }

    private Task<long> StampAsync() => Core.Get<ICacheVersions>().GetAsync(EnrolmentConfigurationStamp.Name, default);

    private async Task SaveAsync(Func<PortalDbContext, Task> change)
    {
        await using var db = Core.NewDb();
        await change(db);
        await db.SaveChangesAsync();
    }

    private Task SaveAsync(Action<PortalDbContext> change) => SaveAsync(db =>
    {
        change(db);
        return Task.CompletedTask;
    });

    /// <summary>Adds an entity of <paramref name="kind"/> alone: a template on localCA without touching the connector row.</summary>
    private static void Add(PortalDbContext db, string kind, string name)
    {
        var now = DateTime.UtcNow;
        switch (kind)
        {
            case "policy":
                db.Policies.Add(new EnrolmentPolicy { Name = name, Action = "max_token_user=5", Realms = name, CreatedAt = now, UpdatedAt = now });
                break;
            case "template":
                db.CertificateTemplates.Add(new CertificateTemplateRecord
                {
                    Name = name, ValidityDays = 10, KeyUsage = "digitalSignature",
                    CaConnectorId = db.CaConnectors.Single(c => c.Name == "localCA").Id,
                });
                break;
            default:
                db.CaConnectors.Add(new CaConnectorRecord { Name = name, Type = "approval", SettingsJson = """{"signer":"localCA"}""", CreatedAt = now, UpdatedAt = now });
                break;
        }
    }

    private static void Change(object entity)
    {
        switch (entity)
        {
            case EnrolmentPolicy policy:
                policy.Priority += 1;
                break;
            case CertificateTemplateRecord template:
                template.ValidityDays += 1;
                break;
            case CaConnectorRecord connector:
                connector.DefaultTemplate = "user";
                break;
        }
    }

    private static async Task<object> FindAsync(PortalDbContext db, string kind, string name) =>
        await FindOrNullAsync(db, kind, name) ?? throw new InvalidOperationException($"{kind} {name} is missing");

    private static async Task<object?> FindOrNullAsync(PortalDbContext db, string kind, string name) => kind switch
    {
        "policy" => await db.Policies.SingleOrDefaultAsync(p => p.Name == name),
        "template" => await db.CertificateTemplates.SingleOrDefaultAsync(t => t.Name == name),
        _ => await db.CaConnectors.SingleOrDefaultAsync(c => c.Name == name),
    };
}

[Trait("Category", "Unit")]
public sealed class EnrolmentConfigurationStampOnSqliteTests(CoreFixture fixture)
    : EnrolmentConfigurationStampTests(fixture), IClassFixture<CoreFixture>;

[Trait("Category", "ExternalTool"), Trait("Database", "PostgreSql")]
public sealed class EnrolmentConfigurationStampOnPostgreSqlTests(CoreFixture.OnPostgreSql fixture)
    : EnrolmentConfigurationStampTests(fixture), IClassFixture<CoreFixture.OnPostgreSql>;
