using CertTokenPortal.Core.Users.DirectoryUsers;
using CertTokenPortal.Core.Users.Resolvers.Administration;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Core.Users.Resolvers;

/// <summary>Registers resolvers, realms, directory logins and their use cases.</summary>
public static class ResolverServiceCollectionExtensions
{
    public static IServiceCollection AddPortalUserResolvers(this IServiceCollection services)
    {
        // Built resolvers hold pooled connections and caches for the life of the portal.
        services.AddSingleton<UserResolverRegistry>();
        services.AddSingleton<RealmResolvers>();
        services.AddSingleton<DirectoryAccounts>();
        services.AddSingleton<DirectoryLogin>();
        services.AddSingleton<DirectorySessionCheck>();
        services.AddSingleton<DirectoryOwners>();
        services.AddScoped<SaveResolverCommand>();
        services.AddScoped<ListResolversQuery>();
        services.AddScoped<DeleteResolverCommand>();
        services.AddScoped<TestResolverQuery>();
        services.AddScoped<SaveRealmCommand>();
        services.AddScoped<ListRealmsQuery>();
        services.AddScoped<DeleteRealmCommand>();
        services.AddScoped<SetDefaultRealmCommand>();
        services.AddScoped<ListRealmUsersQuery>();
        services.AddScoped<FindOwnersQuery>();
        services.AddScoped<FindUserQuery>();
        return services;
    }
}
