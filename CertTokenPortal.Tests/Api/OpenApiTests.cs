using System.Net;
using System.Text.Json;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Api;

[Trait("Category", "Api")]
public sealed class OpenApiTests : IClassFixture<PortalFactory>
{
    private readonly PortalFactory _portal;

    public OpenApiTests(PortalFactory portal) => _portal = portal;

    [Fact]
    public async Task OpenApiDocument_IsPublicAndDescribesTheTokenEndpoints()
    {
        var response = await _portal.CreateClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/auth", paths);
        Assert.Contains("/token/init", paths);
        Assert.Contains("/token", paths); // GET /token/ (OpenAPI drops the trailing slash)
        Assert.Contains("/token/revoke", paths);
        Assert.Contains("/caconnector", paths);
        Assert.Contains("/user", paths);
        Assert.Contains("/policy/{name}", paths);
        Assert.Contains("/token/approve/{serial}", paths);
        Assert.Contains("/attestation/root", paths);
        var init = document.RootElement.GetProperty("paths").GetProperty("/token/init").GetProperty("post");
        Assert.Contains("Retry-After", init.GetProperty("description").GetString());
        Assert.True(init.GetProperty("responses").TryGetProperty("503", out _));
        var template = document.RootElement.GetProperty("paths").GetProperty("/caconnector/{name}/template/{template}").GetProperty("post");
        Assert.Contains("dns_patterns", template.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTokenInfoSetPinAndCaConnectorUpdate()
    {
        var response = await _portal.CreateClient().GetAsync("/openapi/v1.json");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");

        var info = paths.GetProperty("/token/info/{serial}/{key}");
        Assert.Contains("value", info.GetProperty("post").GetProperty("summary").GetString());
        Assert.Contains("cannot be set", info.GetProperty("post").GetProperty("description").GetString());
        Assert.True(info.TryGetProperty("delete", out _));
        Assert.Contains("current_pin", paths.GetProperty("/token/setpin").GetProperty("post").GetProperty("description").GetString());
        Assert.True(paths.TryGetProperty("/token/setpin/{serial}", out _));
        var ca = paths.GetProperty("/caconnector/{name}").GetProperty("post");
        Assert.Contains("update", ca.GetProperty("summary").GetString());
        Assert.Contains("crl_validity_days", ca.GetProperty("description").GetString());
        Assert.Contains("info.pkcs12", paths.GetProperty("/token/{serial}").GetProperty("get").GetProperty("summary").GetString());
        Assert.Contains("pkcs12", paths.GetProperty("/token").GetProperty("get").GetProperty("description").GetString());
    }
}
