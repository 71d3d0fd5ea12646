using System.Net;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

[Trait("Category", "Api")]
public sealed class AuthApiTests : IClassFixture<PortalFactory>
{
    private readonly PortalFactory _portal;

    public AuthApiTests(PortalFactory portal) => _portal = portal;

    [Fact]
    public async Task Auth_RightPassword_ReturnsJwtRoleAndRealmInEnvelope()
    {
        var answer = await ApiClient.Anonymous(_portal).PostFormAsync("/auth", ("username", "admin"), ("password", PortalFactory.AdminPassword));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("2.0", answer.Root.GetProperty("jsonrpc").GetString());
        Assert.StartsWith("CertTokenPortal ", answer.Root.GetProperty("version").GetString());
        Assert.True(answer.Root.GetProperty("time").GetDouble() > 1_700_000_000);
        Assert.True(answer.Ok);
        Assert.Equal("admin", answer.Value.GetProperty("role").GetString());
        Assert.Equal("admin", answer.Value.GetProperty("username").GetString());
        Assert.Equal("default", answer.Value.GetProperty("realm").GetString());
        Assert.Equal(3, answer.Value.GetProperty("token").GetString()!.Split('.').Length);
    }

    [Fact]
    public async Task Auth_JsonBody_IsReadLikeAForm()
    {
        var answer = await ApiClient.Anonymous(_portal).PostJsonAsync("/auth", new { username = "admin", password = PortalFactory.AdminPassword });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task Auth_WrongPassword_Is401WithPlainMessageAndAudited()
    {
        await _portal.CreateUserAsync("wrongpw", PortalRoles.User);

        var wrong = await ApiClient.Anonymous(_portal).PostFormAsync("/auth", ("username", "wrongpw"), ("password", "nope-nope-1A"));
        var unknown = await ApiClient.Anonymous(_portal).PostFormAsync("/auth", ("username", "nobody-here"), ("password", "nope-nope-1A"));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.False(wrong.Ok);
        Assert.Equal(401, wrong.ErrorCode);
        // No hint whether the name or the password was wrong.
        Assert.Equal(wrong.ErrorMessage, unknown.ErrorMessage);
        await using var db = _portal.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.Login && !e.Success && e.TargetUser == "wrongpw"));
    }

    [Fact]
    public async Task Auth_MissingParameters_Is400()
    {
        var answer = await ApiClient.Anonymous(_portal).PostFormAsync("/auth", ("username", "admin"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("password", answer.ErrorMessage);
    }

    [Fact]
    public async Task TokenList_JwtRawOrBearer_BothAccepted()
    {
        var session = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var raw = await session.GetAsync("/token/");
        var bearerRequest = new HttpRequestMessage(HttpMethod.Get, "/token/");
        bearerRequest.Headers.TryAddWithoutValidation("Authorization", $"Bearer {session.Token}");
        var bearer = await ApiClient.Anonymous(_portal).SendAsync(bearerRequest);

        Assert.Equal(HttpStatusCode.OK, raw.Status);
        Assert.Equal(HttpStatusCode.OK, bearer.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-jwt")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJ1c2VybmFtZSI6ImFkbWluIiwicm9sZSI6ImFkbWluIn0.c2lnbmF0dXJl")]
    public async Task TokenList_NoOrBadJwt_Is401InEnvelope(string? header)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/token/");
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", header);
        }

        var answer = await ApiClient.Anonymous(_portal).SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.False(answer.Ok);
        Assert.Contains("/auth", answer.ErrorMessage);
    }

    [Fact]
    public async Task Auth_RepeatedFailures_LockTheAccountForBrowserAndApi()
    {
        await _portal.CreateUserAsync("lockme", PortalRoles.User);
        var client = ApiClient.Anonymous(_portal);
        for (var i = 0; i < 5; i++)
        {
            await client.PostFormAsync("/auth", ("username", "lockme"), ("password", "wrong-Passw0rd"));
        }

        var withRightPassword = await client.PostFormAsync("/auth", ("username", "lockme"), ("password", PortalUsers.Password));

        Assert.Equal(HttpStatusCode.Unauthorized, withRightPassword.Status);
        Assert.Contains("locked", withRightPassword.ErrorMessage);
        await using var db = _portal.NewDb();
        var user = await db.Users.SingleAsync(u => u.UserName == "lockme");
        Assert.True(user.LockoutEnd > DateTimeOffset.UtcNow);
    }
}
