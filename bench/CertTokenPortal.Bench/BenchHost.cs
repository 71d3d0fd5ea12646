using CertTokenPortal.Core;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Startup;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CertTokenPortal.Bench;

/// <summary>The Core services as the portal registers them, on a throw-away data directory, migrated and seeded.</summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private BenchHost(ServiceProvider services, string dataDirectory)
    {
        Services = services;
        DataDirectory = dataDirectory;
    }

    public ServiceProvider Services { get; }

    public string DataDirectory { get; }

    public static async Task<BenchHost> StartAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), $"ctp-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(data);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:DataDirectory"] = data,
            ["Portal:Admin:Password"] = "Bench-Passw0rd!",
            ["Portal:PublicBaseUrl"] = "http://bench.test",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddPortalCore(configuration, data);
        var provider = services.BuildServiceProvider();
        await StartupTaskRunner.RunAsync(provider);
        return new BenchHost(provider, data);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public PortalDbContext NewDb() => Get<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // the OS cleans temp folders anyway
        }
    }
}
