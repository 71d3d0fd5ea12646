using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>Creates accounts for tests through the real user administration.</summary>
public static class PortalUsers
{
    /// <summary>The password of every account the test helpers create.</summary>
    public const string Password = "User-Passw0rd!";

    public static Task<UserSummary> CreateUserAsync(this PortalFactory portal, string userName, string role,
        string realm = "default", string? email = null) =>
        // Services starts the host (and its database) when needed; Server would not work for the Kestrel-hosted browser portal.
        CreateAsync(portal.Services, userName, role, realm, email);

    /// <summary>
    /// Creates <paramref name="userName"/> with <see cref="Password"/> in a new scope of <paramref name="services"/>
    /// (Core's or the web app's); the e-mail defaults to name@example.test. Fails the test if refused.
    /// </summary>
    public static async Task<UserSummary> CreateAsync(IServiceProvider services, string userName, string role, string? realm, string? email = null)
    {
        await using var scope = services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<CreateUserCommand>().ExecuteAsync(Actor.System, new NewUser(userName, Password, email ?? $"{userName}@example.test", realm, role));
        Assert.True(created.IsSuccess, created.Error?.Message);
        return created.Value;
    }
}
