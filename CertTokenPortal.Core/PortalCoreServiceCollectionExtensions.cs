using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors.Approval;
using CertTokenPortal.Core.Cluster;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Core.Configuration;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Notifications;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Secrets;
using CertTokenPortal.Core.Startup;
using CertTokenPortal.Core.Tokens;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Core;

/// <summary>Registers the Core services: persistence, identity stores, secrets, audit and start-up tasks.</summary>
public static class PortalCoreServiceCollectionExtensions
{
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The portal's configuration (appsettings.json, environment).</param>
    /// <param name="contentRoot">The folder relative data directories are resolved against.</param>
    public static IServiceCollection AddPortalCore(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section).ValidateDataAnnotations().ValidateOnStart()
            .PostConfigure(o => o.DataDirectory = Path.GetFullPath(o.DataDirectory, contentRoot));
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LockoutSettings>().BindConfiguration(LockoutSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SessionSettings>().BindConfiguration(SessionSettings.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddPortalDatabase(configuration, contentRoot);
        services.AddPortalIdentityStores(configuration);
        services.AddPortalSecrets(configuration, contentRoot);

        services.AddSingleton<AuditEntryBatch>();
        services.AddSingleton<IAuditLog, AuditLog>();
        services.AddSingleton<UseCaseGuard>();
        services.AddScoped<AuditLogQuery>();
        services.AddScoped<Dashboard.DashboardStatisticsQuery>();
        services.AddScoped<Dashboard.FirstRunChecklistQuery>();
        services.AddScoped<Dashboard.DismissFirstRunChecklistCommand>();
        services.AddSingleton<Users.UserAccounts>();
        services.AddScoped<Users.ListUsersQuery>();
        services.AddScoped<Users.GetUserQuery>();
        services.AddScoped<Users.CreateUserCommand>();
        services.AddScoped<Users.ChangeUserRoleCommand>();
        services.AddScoped<Users.ResetUserPasswordCommand>();
        services.AddScoped<Users.SetUserLockedCommand>();
        services.AddScoped<Users.SetUserDetailsCommand>();
        services.AddScoped<Users.DeleteUserCommand>();
        services.AddScoped<Users.ChangeOwnPasswordCommand>();
        services.AddMemoryCache();
        services.AddDistributedMemoryCache();
        services.AddSingleton<SessionValidator>();
        services.AddSingleton<LoginThrottle>();
        Users.Resolvers.ResolverServiceCollectionExtensions.AddPortalUserResolvers(services);
        services.AddSingleton<ApplicationSecretStore>();
        services.AddPortalCluster();
        services.AddScoped<DatabaseBackup>();
        services.AddPortalPki();
        services.AddPortalTokens();
        services.AddPortalPolicies();
        services.AddPortalApprovalCa();
        services.AddPortalNotifications();

        services.AddStartupTask<DatabaseMigrator>();
        services.AddStartupTask<KeyRingImport>();
        services.AddStartupTask<IdentitySeeder>();
        return services;
    }

    /// <summary>Registers a task that runs once at start-up, in the order it declares.</summary>
    public static IServiceCollection AddStartupTask<TTask>(this IServiceCollection services) where TTask : class, IStartupTask
    {
        services.AddScoped<TTask>();
        var order = (int)typeof(TTask).GetProperty(nameof(IStartupTask.Order))!
            .GetValue(System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(TTask)))!;
        services.AddSingleton(new StartupTaskRegistration(typeof(TTask), order));
        return services;
    }

    private static void AddPortalIdentityStores(this IServiceCollection services, IConfiguration configuration)
    {
        var lockout = configuration.GetSection(LockoutSettings.Section).Get<LockoutSettings>() ?? new LockoutSettings();
        services.AddIdentityCore<PortalUser>(o =>
            {
                o.User.RequireUniqueEmail = false;
                o.Password.RequiredLength = 8;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = lockout.MaxFailedAttempts;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(lockout.Minutes);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>();
    }

    private static void AddPortalSecrets(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var dataProtection = services.AddDataProtection()
            .SetApplicationName("CertTokenPortal")
            .PersistKeysToDbContext<PortalDbContext>();
        // On the builder, so that it applies wherever the ring is persisted (file system or database).
        if (KeyRingCertificate.Load(configuration.GetSection(DataProtectionSettings.Section).Get<DataProtectionSettings>()) is { } certificate)
        {
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        services.AddSingleton(new KeyRingImport.LegacyKeyRing(Path.Combine(ResolveDataDirectory(configuration, contentRoot), "keys")));
    }

    /// <summary>The absolute data directory, as <see cref="PortalOptions.DataDirectory"/> resolves it.</summary>
    public static string ResolveDataDirectory(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration[$"{PortalOptions.Section}:{nameof(PortalOptions.DataDirectory)}"];
        return Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? new PortalOptions().DataDirectory : configured, contentRoot);
    }
}
