using System.Net;
using System.Text.Json;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Health;

/// <summary>/healthz and /readyz: anonymous, in the OpenAPI document, naming checks and states only.</summary>
[Trait("Category", "Api")]
public sealed class PortalHealthTests
{
    [Fact]
    public async Task Readyz_MigratedPortal_200WithDatabaseAndKeyRingHealthyAndNoSecrets()
    {
        using var portal = new PortalFactory();
        using var client = portal.CreateNonRedirectingClient();

        var live = await client.GetAsync("/healthz");
        var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        var checks = JsonDocument.Parse(body).RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetString());
        Assert.Equal("Healthy", checks.GetProperty("keyring").GetString());
        Assert.DoesNotContain(portal.DataDirectory, body);
    }

    [Fact]
    public async Task Readyz_DatabaseGoneAndEmpty_503NamingTheDatabaseWithoutDetails()
    {
        using var portal = new PortalFactory();
        using var client = portal.CreateNonRedirectingClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

        // A database file replaced by an empty one: reachable, but no migration applied.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(portal.DataDirectory, "portal.db*"))
        {
            File.Delete(file);
        }
        var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Equal("Unhealthy", JsonDocument.Parse(body).RootElement.GetProperty("checks").GetProperty("database").GetString());
        Assert.DoesNotContain("Exception", body);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task OpenApi_Document_DescribesHealthzAndReadyz()
    {
        using var portal = new PortalFactory();
        using var client = portal.CreateNonRedirectingClient();

        var paths = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/healthz", out _));
        Assert.True(paths.TryGetProperty("/readyz", out var readyz));
        Assert.True(readyz.GetProperty("get").GetProperty("responses").TryGetProperty("503", out _));
    }
}
