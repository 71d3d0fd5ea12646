using CertTokenPortal.Core;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Startup;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>
/// The Core services as the portal registers them, on a throw-away data directory (SQLite file, key ring), migrated
/// and seeded. For Core tests that need no HTTP.
/// </summary>
public sealed class CoreServices : IAsyncDisposable
{
    private readonly TempDirectory _data = new("ctp-core");

    private CoreServices(IDictionary<string, string?> settings, Action<IServiceCollection>? configure)
    {
        Configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(_data.Path, settings)).Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(Configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddPortalCore(Configuration, _data.Path);
        configure?.Invoke(services);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public const string AdminPassword = "Admin-Passw0rd!";

    /// <summary>
    /// The settings of every test portal, Core-only or web: the throw-away data directory, the seeded admin's password
    /// and the public base URL; <paramref name="overrides"/> replace or add to them.
    /// </summary>
    internal static Dictionary<string, string?> Settings(string dataDirectory, IDictionary<string, string?> overrides)
    {
        var values = new Dictionary<string, string?>
        {
            ["Portal:DataDirectory"] = dataDirectory,
            ["Portal:Admin:Password"] = AdminPassword,
            ["Portal:PublicBaseUrl"] = "http://pki.test",
            // Test classes log in and enrol hundreds of times from one address; the rate-limit tests switch them on.
            ["Portal:RateLimits:Enabled"] = "false",
        };
        foreach (var (key, value) in overrides)
        {
            values[key] = value;
        }
        return values;
    }

    /// <summary>Closes the pooled SQLite connections (which hold the database file open), then deletes the data directory.</summary>
    internal static void DeleteDataDirectory(TempDirectory data)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }

    public IConfiguration Configuration { get; }

    public ServiceProvider Services { get; }

    public string DataDirectory => _data.Path;

    /// <summary>Builds the services, migrates the database and runs the seeding start-up tasks.</summary>
    public static async Task<CoreServices> StartAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var core = new CoreServices(settings ?? new Dictionary<string, string?>(), configure);
        try
        {
            await StartupTaskRunner.RunAsync(core.Services);
            return core;
        }
        catch
        {
            // Tests of start-up failures never get the instance, so it cleans up its temp folder itself.
            await core.DisposeAsync();
            throw;
        }
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A fresh DbContext, for arranging data and for asserting what was (or was not) saved.</summary>
    public PortalDbContext NewDb() => Get<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    /// <summary>Runs <paramref name="action"/> with services from a new DI scope (scoped services such as UserManager).</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        DeleteDataDirectory(_data);
    }
}
