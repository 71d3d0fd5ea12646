using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Hosting;

[Trait("Category", "Api")]
public sealed class StartupTests : IClassFixture<PortalFactory>
{
    private readonly PortalFactory _portal;

    public StartupTests(PortalFactory portal) => _portal = portal;

    [Fact]
    public async Task FirstStart_MigratesAndSeeds_RolesAndOneAdminWithConfiguredPassword()
    {
        _ = _portal.CreateClient(); // starts the host

        await using var db = _portal.NewDb();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(PortalRoles.All.OrderBy(r => r), (await db.Roles.Select(r => r.Name!).ToListAsync()).OrderBy(r => r));

        using var scope = _portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var admins = await users.GetUsersInRoleAsync(PortalRoles.Admin);
        var admin = Assert.Single(admins);
        Assert.Equal("admin", admin.UserName);
        Assert.Equal("default", admin.Realm);
        Assert.True(await users.CheckPasswordAsync(admin, PortalFactory.AdminPassword));
    }
}
