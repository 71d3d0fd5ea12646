using System.Net;
using System.Text;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary><c>GET /token/?expires_within=N</c>: certificates in use expiring within N days, as JSON and as CSV.</summary>
[Trait("Category", "Api")]
public sealed class TokenExpiryFilterTests(TokenExpiryFilterTests.Portal portal) : IClassFixture<TokenExpiryFilterTests.Portal>
{
    public sealed class Portal : PortalFactory, IAsyncLifetime
    {
        public string Soon { get; private set; } = "";
        public string Later { get; private set; } = "";
        public string RevokedSoon { get; private set; } = "";

        public async Task InitializeAsync()
        {
            await this.CreateUserAsync("erin", PortalRoles.User);
            var admin = await ApiClient.LoginAsync(this, "admin", AdminPassword);
            Soon = await EnrolAsync(admin, "soon", 5);
            Later = await EnrolAsync(admin, "later", 45);
            RevokedSoon = await EnrolAsync(admin, "revoked", 3);
            Assert.True((await admin.PostFormAsync("/token/revoke", ("serial", RevokedSoon))).Ok);
        }

        private async Task<string> EnrolAsync(ApiClient admin, string cn, int daysLeft)
        {
            var answer = await admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", "erin"), ("ca", "localCA"), ("request", TestCsrs.Rsa("erin")), ("description", cn));
            Assert.True(answer.Ok, answer.ToString());
            var serial = answer.Detail.GetProperty("serial").GetString()!;
            await using var db = NewDb();
            var notAfter = DateTime.UtcNow.AddDays(daysLeft);
            await db.Tokens.Where(t => t.Serial == serial).ExecuteUpdateAsync(s => s.SetProperty(t => t.NotAfter, notAfter));
            return serial;
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task List_ExpiresWithin30_OnlyInUseTokensExpiringInside()
    {
        var admin = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);

        var answer = await admin.GetAsync("/token/?expires_within=30");

        Assert.True(answer.Ok, answer.ToString());
        var serials = answer.Value.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("serial").GetString()).ToList();
        Assert.Equal([portal.Soon], serials);
    }

    [Fact]
    public async Task List_ExpiresWithinAsOwner_SeesOwnExpiringTokens()
    {
        var erin = await ApiClient.LoginAsync(portal, "erin", PortalUsers.Password);

        var answer = await erin.GetAsync("/token/?expires_within=60");

        var serials = answer.Value.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("serial").GetString()).Order().ToList();
        Assert.Equal(new[] { portal.Soon, portal.Later }.Order(), serials);
    }

    [Fact]
    public async Task ListCsv_ExpiresWithin30_SameTokensAsTheList()
    {
        var admin = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);

        var (status, content, _, _) = await admin.DownloadAsync("/token/?outform=csv&expires_within=30");

        Assert.Equal(HttpStatusCode.OK, status);
        var lines = Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith(portal.Soon + ",", lines[1]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("soon")]
    [InlineData("99999")]
    public async Task List_BadExpiresWithin_400NamesTheParameter(string value)
    {
        var admin = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);

        var answer = await admin.GetAsync($"/token/?expires_within={value}");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("expires_within", answer.ErrorMessage);
    }
}
