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
        Assert.Equal("ACCEPT", answer.Result.GetProperty("authentication").GetString());
        Assert.Equal(30, answer.Value.GetProperty("log_level").GetInt32());
        var rights = answer.Value.GetProperty("rights").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("enrollCERTIFICATE", rights);
        Assert.Contains("delete", rights);
        var menus = answer.Value.GetProperty("menus").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Equal(["tokens", "users", "config", "audit"], menus);
    }

    [Fact]
    public async Task Auth_UserRole_GetsOnlyOwnTokenRightsAndTokensMenu()
    {
        await _portal.CreateUserAsync("rightsuser", PortalRoles.User);

        var answer = await ApiClient.Anonymous(_portal).PostFormAsync("/auth", ("username", "rightsuser"), ("password", PortalUsers.Password));

        var rights = answer.Value.GetProperty("rights").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("enrollCERTIFICATE", rights);
        Assert.DoesNotContain("delete", rights);
        Assert.DoesNotContain("assign", rights);
        Assert.Equal(["tokens"], answer.Value.GetProperty("menus").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task AuthRights_LoggedIn_ListsCertificateAsEnrollable()
    {
        var session = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var answer = await session.GetAsync("/auth/rights");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.StartsWith("Certificate", answer.Value.GetProperty("certificate").GetString());
    }

    [Fact]
    public async Task TokenList_PiAuthorizationHeader_IsReadBeforeAuthorization()
    {
        var session = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);
        var request = new HttpRequestMessage(HttpMethod.Get, "/token/");
        request.Headers.TryAddWithoutValidation("PI-Authorization", session.Token);
        // A stale or foreign Authorization header (e.g. a proxy's) does not matter when PI-Authorization is present.
        request.Headers.TryAddWithoutValidation("Authorization", "Basic c29tZW9uZTplbHNl");

        var answer = await ApiClient.Anonymous(_portal).SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task TokenList_BadPiAuthorization_Is401EvenWithGoodAuthorization()
    {
        var session = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);
        var request = new HttpRequestMessage(HttpMethod.Get, "/token/");
        request.Headers.TryAddWithoutValidation("PI-Authorization", "not-a-jwt");
        request.Headers.TryAddWithoutValidation("Authorization", session.Token);

        var answer = await ApiClient.Anonymous(_portal).SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.False(answer.Ok);
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
        Assert.Equal(4031, wrong.ErrorCode);
        // No hint whether the name or the password was wrong.
        Assert.Equal(wrong.ErrorMessage, unknown.ErrorMessage);
        await using var db = _portal.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.Login && !e.Success && e.TargetUser == "wrongpw"));
    }

    [Fact]
    public async Task Auth_MissingParameters_Is401As4032()
    {
        var noPassword = await ApiClient.Anonymous(_portal).PostFormAsync("/auth", ("username", "admin"));
        var noName = await ApiClient.Anonymous(_portal).PostFormAsync("/auth", ("password", PortalFactory.AdminPassword));

        Assert.Equal(HttpStatusCode.Unauthorized, noPassword.Status);
        Assert.Contains("password", noPassword.ErrorMessage);
        Assert.Equal(4032, noPassword.ErrorCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noName.Status);
        Assert.Equal(4032, noName.ErrorCode);
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
    public async Task Auth_RepeatedFailures_ThrottleThisAddressOnlyWith429AndNeverLockTheAccount()
    {
        await _portal.CreateUserAsync("lockme", PortalRoles.User);
        var attacker = ApiClient.Anonymous(_portal);
        for (var i = 0; i < 5; i++)
        {
            await attacker.PostFormAsync("/auth", ("username", "lockme"), ("password", "wrong-Passw0rd"));
        }

        var attackerAgain = await attacker.PostFormAsync("/auth", ("username", "lockme"), ("password", PortalUsers.Password));
        var ownerElsewhere = await SendFromAsync("10.9.8.7", "lockme", PortalUsers.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, attackerAgain.Status);
        Assert.Equal(429, attackerAgain.ErrorCode);
        Assert.NotNull(attackerAgain.Response.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, ownerElsewhere.Status);
        await using var db = _portal.NewDb();
        Assert.Null((await db.Users.SingleAsync(u => u.UserName == "lockme")).LockoutEnd);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.LoginThrottled && e.TargetUser == "lockme"));
    }

    [Fact]
    public async Task Auth_UnknownUserAndWrongPassword_SameStatusMessageAndThrottle()
    {
        await _portal.CreateUserAsync("known1", PortalRoles.User);
        var known = new List<ApiAnswer>();
        var unknown = new List<ApiAnswer>();
        for (var i = 0; i < 6; i++)
        {
            known.Add(await SendFromAsync("10.1.1.1", "known1", "Wrong-Passw0rd!"));
            unknown.Add(await SendFromAsync("10.1.1.1", "unknown1", "Wrong-Passw0rd!"));
        }

        Assert.Equal(known.Select(a => (a.Status, a.ErrorMessage)), unknown.Select(a => (a.Status, a.ErrorMessage)));
        Assert.Equal(HttpStatusCode.TooManyRequests, known[^1].Status);
    }

    /// <summary>Sends /auth as if from <paramref name="address"/>.</summary>
    private Task<ApiAnswer> SendFromAsync(string address, string user, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth")
        {
            Content = new FormUrlEncodedContent([new("username", user), new("password", password)]),
        };
        request.Headers.Add(TestClientAddress.Header, address);
        return ApiClient.Anonymous(_portal).SendAsync(request);
    }
}
