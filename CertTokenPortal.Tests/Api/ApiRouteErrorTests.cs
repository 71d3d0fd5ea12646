using System.Net;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Api;

/// <summary>Paths and methods the API does not serve answer in the envelope (404/405), never an empty 401.</summary>
[Trait("Category", "Api")]
public sealed class ApiRouteErrorTests : IClassFixture<PortalFactory>
{
    private readonly PortalFactory _portal;

    public ApiRouteErrorTests(PortalFactory portal) => _portal = portal;

    [Theory]
    [InlineData("GET", "/token/nosuch/route/here")]
    [InlineData("POST", "/machine/")]
    [InlineData("GET", "/system/")]
    [InlineData("POST", "/token/lost/CRT00000001")]
    [InlineData("GET", "/container/")]
    public async Task UnknownRoute_WithValidToken_IsJson404(string method, string path)
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var answer = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.True(answer.Status == HttpStatusCode.NotFound, answer.ToString());
        Assert.False(answer.Ok);
        Assert.Equal(601, answer.ErrorCode);
        Assert.Contains(path, answer.ErrorMessage);
    }

    [Fact]
    public async Task WrongMethod_WithValidToken_IsJson405()
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var answer = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/token/init"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, answer.Status);
        Assert.False(answer.Ok);
        Assert.Contains("PUT", answer.ErrorMessage);
    }

    [Fact]
    public async Task UnknownRoute_WithoutToken_IsJson404NotEmpty401()
    {
        var answer = await ApiClient.Anonymous(_portal).GetAsync("/nosuch/endpoint");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.False(answer.Ok);
    }

    [Fact]
    public async Task UnknownPage_FromBrowser_StillGetsTheHtmlPage()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/nosuch/page");
        request.Headers.TryAddWithoutValidation("Accept", "text/html");

        var response = await _portal.CreateNonRedirectingClient().SendAsync(request);

        Assert.NotEqual("application/json", response.Content.Headers.ContentType?.MediaType);
    }
}
