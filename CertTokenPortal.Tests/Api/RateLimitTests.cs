using System.Net;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>Logins per client address and enrolments per user are rate-limited, answering 429 in the envelope with Retry-After.</summary>
[Trait("Category", "Api")]
public sealed class RateLimitTests(RateLimitTests.TightLimits portal) : IClassFixture<RateLimitTests.TightLimits>
{
    public sealed class TightLimits() : PortalFactory(new Dictionary<string, string?>
    {
        ["Portal:RateLimits:Enabled"] = "true",
        ["Portal:RateLimits:LoginPermits"] = "5",
        ["Portal:RateLimits:LoginWindowSeconds"] = "600",
        ["Portal:RateLimits:EnrolmentPermits"] = "2",
        ["Portal:RateLimits:EnrolmentWindowSeconds"] = "600",
    });

    [Fact]
    public async Task Auth_MoreThanThePermitsFromOneAddress_Is429WithRetryAfterAndOtherAddressesServed()
    {
        var answers = new List<ApiAnswer>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add(await AuthFromAsync("10.20.0.1", "admin", PortalFactory.AdminPassword));
        }
        var other = await AuthFromAsync("10.20.0.2", "admin", PortalFactory.AdminPassword);

        Assert.All(answers.Take(5), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var refused = answers[5];
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.False(refused.Ok);
        Assert.Equal(429, refused.ErrorCode);
        Assert.Contains("Too many login attempts", refused.ErrorMessage);
        Assert.True(refused.Response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
        Assert.Equal(HttpStatusCode.OK, other.Status);
    }

    [Fact]
    public async Task BrowserLogin_MoreThanThePermits_SentBackToTheLoginPageWithAMessage()
    {
        using var client = portal.CreateNonRedirectingClient();
        client.DefaultRequestHeaders.Add(TestClientAddress.Header, "10.20.0.3");
        HttpResponseMessage? last = null;
        for (var i = 0; i < 6; i++)
        {
            last?.Dispose();
            last = await client.PostLoginAsync("nobody", "Wrong-Passw0rd!");
        }

        Assert.Equal(HttpStatusCode.SeeOther, last!.StatusCode);
        Assert.Equal("/login?error=throttled", last.Headers.Location!.OriginalString);
        Assert.NotNull(last.Headers.RetryAfter);
        last.Dispose();
    }

    [Fact]
    public async Task TokenInit_MoreThanThePermitsForOneUser_Is429AndNothingSaved()
    {
        await portal.CreateUserAsync("rl1", PortalRoles.User);
        await portal.CreateUserAsync("rl2", PortalRoles.User);
        var first = await ApiClient.LoginAsync(portal, "rl1", PortalUsers.Password);
        var second = await ApiClient.LoginAsync(portal, "rl2", PortalUsers.Password);

        var answers = new List<ApiAnswer>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await EnrolAsync(first));
        }
        var otherUser = await EnrolAsync(second);

        Assert.All(answers.Take(2), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[2].Status);
        Assert.Contains("enrolments", answers[2].ErrorMessage);
        Assert.NotNull(answers[2].Response.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, otherUser.Status);
        await using var db = portal.NewDb();
        Assert.Equal(2, await db.Tokens.CountAsync(t => t.OwnerUserName == "rl1"));
    }

    private static Task<ApiAnswer> EnrolAsync(ApiClient api) =>
        api.PostFormAsync("/token/init", ("type", "certificate"), ("ca", "localCA"), ("genkey", "1"), ("keytype", "ec"), ("curve", "P-256"), ("pin", "Rate-PIN-123!"));

    private Task<ApiAnswer> AuthFromAsync(string address, string user, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth")
        {
            Content = new FormUrlEncodedContent([new("username", user), new("password", password)]),
        };
        request.Headers.Add(TestClientAddress.Header, address);
        return ApiClient.Anonymous(portal).SendAsync(request);
    }
}
