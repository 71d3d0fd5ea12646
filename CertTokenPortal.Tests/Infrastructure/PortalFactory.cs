using CertTokenPortal.Core.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>
/// The whole portal in memory (WebApplicationFactory) on a throw-away data directory: its own SQLite file and key
/// ring, migrated and seeded by the real start-up code. Settings can be overridden per test class.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _data = new("ctp-web");
    private readonly Dictionary<string, string?> _settings;

    public const string AdminPassword = CoreServices.AdminPassword;

    public PortalFactory() : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>For subclasses that start the portal with other settings (xunit fixtures need one public constructor).</summary>
    protected PortalFactory(IDictionary<string, string?> settings)
    {
        _settings = CoreServices.Settings(_data.Path, settings);
    }

    public string DataDirectory => _data.Path;

    /// <summary>The same portal on a fresh database of the test run's PostgreSQL cluster.</summary>
    public sealed class OnPostgreSql() : PortalFactory(TestDatabase.WithAsync(Core.Persistence.DatabaseProvider.PostgreSql).GetAwaiter().GetResult());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, TestClientAddress>());
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A fresh DbContext on the portal's database, for arranging and asserting.</summary>
    public PortalDbContext NewDb() => Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    /// <summary>A client that does not follow redirects, so that tests see the 302 to the login page.</summary>
    public HttpClient CreateNonRedirectingClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            CoreServices.DeleteDataDirectory(_data);
        }
    }
}
