using CertTokenPortal.Core.Persistence;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>One started <see cref="CoreServices"/> shared by the tests of a class (start-up makes an RSA CA key), on SQLite.</summary>
public class CoreFixture : IAsyncLifetime
{
    public CoreServices Core { get; private set; } = null!;

    /// <summary>The database this fixture's portal runs on.</summary>
    public virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public async Task InitializeAsync() => Core = await CoreServices.StartAsync(await TestDatabase.SettingsAsync(Provider));

    public async Task DisposeAsync() => await Core.DisposeAsync();

    /// <summary>The same, on a fresh database of the test run's PostgreSQL cluster.</summary>
    public sealed class OnPostgreSql : CoreFixture
    {
        public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
    }
}
