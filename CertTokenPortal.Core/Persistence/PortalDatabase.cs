using CertTokenPortal.Core.Startup;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Core.Persistence;

/// <summary>
/// Chooses the database provider from <c>Portal:Database:Provider</c> and <c>ConnectionStrings:Portal</c>. Each provider
/// has its own migrations: SQLite's in this assembly (Persistence/Migrations), PostgreSQL's in
/// <see cref="PostgreSqlMigrationsAssembly"/>; scripts/add-migration.sh adds one to both.
/// </summary>
public static class PortalDatabase
{
    /// <summary>The assembly that holds the PostgreSQL migrations (the web app references it, so it is deployed with it).</summary>
    public const string PostgreSqlMigrationsAssembly = "CertTokenPortal.Core.PostgreSql";

    /// <summary>The configured provider; a name that is neither stops the start with a message for the operator.</summary>
    public static DatabaseProvider Provider(IConfiguration configuration)
    {
        var configured = configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)}"];
        return DatabaseOptions.Parse(configured) ?? throw new PortalStartupException(
            $"Portal:Database:Provider is '{configured}'; it must be 'sqlite' or 'postgresql'.");
    }

    internal static void AddPortalDatabase(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var provider = Provider(configuration);
        var connectionString = configuration.GetConnectionString("Portal");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.PostgreSql)
            {
                throw new PortalStartupException(
                    "Portal:Database:Provider is 'postgresql' but ConnectionStrings:Portal is empty; set it to e.g. " +
                    "'Host=db.example.org;Database=certtokenportal;Username=certtokenportal;Password=...'.");
            }
            connectionString = $"Data Source={Path.Combine(PortalCoreServiceCollectionExtensions.ResolveDataDirectory(configuration, contentRoot), "portal.db")}";
        }

        // A factory, not one long-lived context: Blazor circuits live for minutes, so every operation takes a fresh
        // context and a short transaction. The scoped context is for Identity's stores.
        // Pooled: a context is reset and reused rather than built anew for each of the several contexts a request takes.
        services.AddPooledDbContextFactory<PortalDbContext>(o => Configure(o, provider, connectionString));
        services.AddSingleton<GroupCommit>();
        if (provider == DatabaseProvider.PostgreSql)
        {
            services.AddSingleton<PostgreSqlChangeSignal>();
            services.AddSingleton<IDatabaseChangeSignal>(sp => sp.GetRequiredService<PostgreSqlChangeSignal>());
            services.AddHostedService(sp => sp.GetRequiredService<PostgreSqlChangeSignal>());
        }
        else
        {
            services.AddSingleton<IDatabaseChangeSignal, SqliteChangeSignal>();
        }
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());
    }

    /// <summary>Points <paramref name="options"/> at the database (also used by the backup command and the tests).</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString) =>
        provider switch
        {
            DatabaseProvider.PostgreSql => options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(PostgreSqlMigrationsAssembly)),
            _ => options
                .UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(PortalDbContext).Assembly.FullName))
                .AddInterceptors(SqliteBusyTimeout.Instance),
        };
}
