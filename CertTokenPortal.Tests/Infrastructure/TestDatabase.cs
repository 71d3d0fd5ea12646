using CertTokenPortal.Core.Persistence;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>
/// The database a test portal runs on. SQLite: a file in the portal's throw-away data directory (the default).
/// PostgreSQL: a fresh database on the run's shared <see cref="PostgreSqlServer"/>. To run a test class on both,
/// make it abstract over <see cref="CoreFixture"/> or <see cref="PortalFactory"/> and derive one sealed class per
/// provider with <see cref="CoreFixture.OnPostgreSql"/> / <see cref="PortalFactory.OnPostgreSql"/> and the trait
/// <c>[Trait("Database", "PostgreSql")]</c> (see Persistence/ConcurrentWritersTests.cs).
/// </summary>
public static class TestDatabase
{
    /// <summary>The settings that point a portal at a new database of <paramref name="provider"/>.</summary>
    public static async Task<Dictionary<string, string?>> SettingsAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            return new Dictionary<string, string?> { ["Portal:Database:Provider"] = "sqlite" };
        }
        var server = await PostgreSqlServer.GetAsync();
        return new Dictionary<string, string?>
        {
            ["Portal:Database:Provider"] = "postgresql",
            ["ConnectionStrings:Portal"] = await server.CreateDatabaseAsync(),
        };
    }

    /// <summary><paramref name="settings"/> with the database settings of <paramref name="provider"/> added.</summary>
    public static async Task<Dictionary<string, string?>> WithAsync(DatabaseProvider provider, IDictionary<string, string?>? settings = null)
    {
        var all = await SettingsAsync(provider);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return all;
    }
}
