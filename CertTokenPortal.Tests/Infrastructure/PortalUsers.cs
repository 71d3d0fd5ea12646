using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>Creates accounts for tests through the real user administration.</summary>
public static class PortalUsers
{
    public const string Password = "User-Passw0rd!";

    public static async Task<UserSummary> CreateUserAsync(this PortalFactory portal, string userName, string role,
        string realm = "default", string? email = null)
    {
        // Services starts the host (and its database) when needed; Server would not work for the Kestrel-hosted browser portal.
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserAdministration>();
        var created = await users.CreateAsync(Actor.System, new NewUser(userName, Password, email ?? $"{userName}@example.test", realm, role));
        Assert.True(created.IsSuccess, created.Error?.Message);
        return created.Value;
    }
}
