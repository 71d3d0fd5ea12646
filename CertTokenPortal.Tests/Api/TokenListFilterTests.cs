using System.Net;
using System.Text.Json;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>
/// Every parameter of <c>GET /token/</c>: applied (the count and the serials show it) or refused with a 400 that names
/// it. A filter never widens what a role sees.
/// </summary>
[Trait("Category", "Api")]
public sealed class TokenListFilterTests : IClassFixture<TokenListFilterTests.SeededPortal>
{
    private readonly SeededPortal _portal;

    public TokenListFilterTests(SeededPortal portal) => _portal = portal;

    /// <summary>
    /// CRTF0000001..5: alice@default (1 revoked, 2 description "laptop alice", 3 failed, 4 pending CA "otherCA", 5 disabled);
    /// CRTF0000006..7: bob@staff; CRTF0000008: no owner, token realm staff; CRTF0000009: no owner, no realm.
    /// </summary>
    public sealed class SeededPortal : PortalFactory, IAsyncLifetime
    {
        public string AliceId { get; private set; } = "";

        public async Task InitializeAsync()
        {
            AliceId = (await this.CreateUserAsync("alice", PortalRoles.User)).Id;
            var bobId = (await this.CreateUserAsync("bob", PortalRoles.User, realm: "staff")).Id;
            await this.CreateUserAsync("helper", PortalRoles.Helpdesk);
            await using var db = NewDb();
            var now = DateTime.UtcNow;
            CertificateToken Token(int i, string owner, string realm) => new()
            {
                Serial = $"CRTF{i:D7}",
                OwnerUserName = owner,
                OwnerRealm = realm,
                OwnerId = owner switch { "alice" => AliceId, "bob" => bobId, _ => null },
                RolloutState = i == 3 ? RolloutState.Failed : i == 4 ? RolloutState.Pending : RolloutState.Enrolled,
                Revoked = i == 1,
                Locked = i == 1,
                Active = i is not (1 or 5),
                EnrolmentMode = EnrolmentModes.Request,
                CaName = i == 4 ? "otherCA" : "localCA",
                TemplateName = "user",
                Subject = $"CN=t{i}",
                Description = i == 2 ? "laptop alice" : i == 6 ? "laptop bob" : $"token {i}",
                CreatedAt = now,
                UpdatedAt = now,
                CreatedBy = "seed",
                Version = Guid.NewGuid(),
            };
            for (var i = 1; i <= 5; i++)
            {
                db.Tokens.Add(Token(i, "alice", "default"));
            }
            db.Tokens.Add(Token(6, "bob", "staff"));
            db.Tokens.Add(Token(7, "bob", "staff"));
            db.Tokens.Add(Token(8, "", "staff"));
            db.Tokens.Add(Token(9, "", ""));
            await db.SaveChangesAsync();
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Theory]
    [InlineData("serial=CRTF0000002", "2")]
    [InlineData("serial=CRTF0000002,CRTF0000006", "2,6")]
    [InlineData("serial=CRTF000000[1-2]", "")]
    [InlineData("serial=*0000001,CRTF000000*9", "1,9")]
    [InlineData("type=certificate", "1,2,3,4,5,6,7,8,9")]
    [InlineData("type=*cert*", "1,2,3,4,5,6,7,8,9")]
    [InlineData("type=*otp*", "")]
    [InlineData("type_list=hotp,certificate", "1,2,3,4,5,6,7,8,9")]
    [InlineData("type_list=hotp,totp", "")]
    [InlineData("description=laptop*", "2,6")]
    [InlineData("description=laptop alice", "2")]
    [InlineData("description=laptop", "")]
    [InlineData("tokenrealm=staff", "6,7,8")]
    [InlineData("tokenrealm=def*,nothing", "1,2,3,4,5")]
    [InlineData("assigned=False", "8,9")]
    [InlineData("assigned=True", "1,2,3,4,5,6,7")]
    [InlineData("active=False", "1,5")]
    [InlineData("active=true&revoked=false&assigned=1", "2,3,4,6,7")]
    [InlineData("revoked=True", "1")]
    [InlineData("rollout_state=pending", "4")]
    [InlineData("infokey=CA&infovalue=otherCA", "4")]
    [InlineData("infokey=subject&infovalue=CN=t*", "1,2,3,4,5,6,7,8,9")]
    [InlineData("user=bob", "6,7")]
    [InlineData("user=alice@default", "1,2,3,4,5")]
    [InlineData("user=alice@staff", "")]
    [InlineData("realm=staff", "6,7")]
    [InlineData("container_serial=", "1,2,3,4,5,6,7,8,9")]
    [InlineData("sortby=nosuchcolumn&sortdir=desc", "9,8,7,6,5,4,3,2,1")]
    [InlineData("sortby=description&pagesize=2&page=2", "1,3")]
    [InlineData("outform=csv", null)]
    public async Task List_EachFilter_IsApplied(string query, string? expectedSerials)
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var answer = await admin.GetAsync($"/token/?{query}");

        if (expectedSerials is null)
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal(10, answer.Body.TrimEnd('\n').Split('\n').Length);
            return;
        }
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal(expectedSerials, string.Join(',', Serials(answer)));
    }

    [Fact]
    public async Task List_UserId_FindsTheAccountsTokensOnly()
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var exact = await admin.GetAsync($"/token/?userid={_portal.AliceId}");
        var wildcard = await admin.GetAsync($"/token/?userid={_portal.AliceId[..8]}*");
        var unknown = await admin.GetAsync("/token/?userid=no-such-id");

        Assert.Equal("1,2,3,4,5", string.Join(',', Serials(exact)));
        Assert.Equal("1,2,3,4,5", string.Join(',', Serials(wildcard)));
        Assert.Empty(Serials(unknown));
        var first = exact.Value.GetProperty("tokens")[0];
        Assert.Equal(_portal.AliceId, first.GetProperty("user_id").GetString());
        Assert.Equal("local", first.GetProperty("resolver").GetString());
    }

    [Theory]
    [InlineData("assigned=False")]
    [InlineData("serial=*")]
    [InlineData("serial=CRTF0000006,CRTF0000008,*")]
    [InlineData("user=bob")]
    [InlineData("tokenrealm=*")]
    [InlineData("userid=*")]
    [InlineData("type=*&description=*")]
    public async Task List_AsUser_FiltersNeverWidenBeyondOwnTokens(string query)
    {
        var alice = await ApiClient.LoginAsync(_portal, "alice", PortalUsers.Password);

        var answer = await alice.GetAsync($"/token/?{query}&pagesize=100");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.All(answer.Value.GetProperty("tokens").EnumerateArray(), t => Assert.Equal("alice", t.GetProperty("username").GetString()));
        Assert.DoesNotContain("8", Serials(answer));
        Assert.DoesNotContain("9", Serials(answer));
    }

    [Fact]
    public async Task List_AsHelpdesk_SeesUnassignedTokens()
    {
        var helper = await ApiClient.LoginAsync(_portal, "helper", PortalUsers.Password);

        var answer = await helper.GetAsync("/token/?assigned=false");

        Assert.Equal("8,9", string.Join(',', Serials(answer)));
        var unassigned = answer.Value.GetProperty("tokens")[0];
        Assert.Equal("", unassigned.GetProperty("username").GetString());
        Assert.Equal("", unassigned.GetProperty("user_realm").GetString());
        Assert.Equal(["staff"], unassigned.GetProperty("realms").EnumerateArray().Select(r => r.GetString()));
    }

    [Theory]
    [InlineData("resolver=local", "resolver")]
    [InlineData("container_serial=C001", "container_serial")]
    [InlineData("assigned=maybe", "assigned")]
    [InlineData("active=yes please", "active")]
    [InlineData("revoked=", "revoked")]
    [InlineData("assigned=", "assigned")]
    [InlineData("description=", "description")]
    [InlineData("infokey=CA", "infovalue")]
    [InlineData("infovalue=x", "infokey")]
    [InlineData("infokey=shoe size&infovalue=9", "infokey")]
    [InlineData("hidden_tokeninfo=shoe size", "hidden_tokeninfo")]
    [InlineData("outform=xml", "outform")]
    [InlineData("colour=blue", "colour")]
    [InlineData("Serial=CRTF0000001", "Serial")]
    [InlineData("pagesize=abc", "pagesize")]
    [InlineData("page=-2", "page")]
    [InlineData("sortdir=up", "sortdir")]
    [InlineData("rollout_state=clientwait", "rollout_state")]
    public async Task List_ParameterItCannotApply_Is400NamingIt(string query, string name)
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var answer = await admin.GetAsync($"/token/?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(905, answer.ErrorCode);
        Assert.Contains(name, answer.ErrorMessage);
    }

    [Fact]
    public async Task List_TooLongValue_Is400()
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var answer = await admin.GetAsync($"/token/?description={new string('x', 1025)}");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("description", answer.ErrorMessage);
    }

    [Fact]
    public async Task List_LargePageSize_IsNotCapped()
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var answer = await admin.GetAsync("/token/?pagesize=5000");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(9, answer.Value.GetProperty("tokens").GetArrayLength());
    }

    [Fact]
    public async Task List_TokenDict_HasPrivacyIdeaKeysAndOnlyInfoThatApplies()
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var answer = await admin.GetAsync("/token/?serial=CRTF0000002&hidden_tokeninfo=template,created");

        var token = answer.Value.GetProperty("tokens")[0];
        foreach (var key in new[] { "id", "serial", "tokentype", "description", "active", "revoked", "locked", "rollout_state",
                     "username", "user_realm", "realms", "resolver", "user_id", "count", "failcount", "maxfail", "info" })
        {
            Assert.True(token.TryGetProperty(key, out _), $"missing {key}");
        }
        Assert.True(token.GetProperty("id").GetInt64() > 0);
        Assert.Equal("default", token.GetProperty("user_realm").GetString());
        var info = token.GetProperty("info");
        Assert.All(info.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
        Assert.Equal("localCA", info.GetProperty("CA").GetString());
        Assert.False(info.TryGetProperty("template", out _));
        Assert.False(info.TryGetProperty("created", out _));
        Assert.False(info.TryGetProperty("requestId", out _));
        Assert.False(info.TryGetProperty("certificate", out _));
    }

    [Fact]
    public async Task List_BadParameter_WritesNoTokenChange()
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);
        await using var before = _portal.NewDb();
        var count = await before.Tokens.CountAsync();

        await admin.GetAsync("/token/?assigned=perhaps");

        await using var after = _portal.NewDb();
        Assert.Equal(count, await after.Tokens.CountAsync());
    }

    private static List<string> Serials(ApiAnswer answer) =>
        answer.Value.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("serial").GetString()!.TrimStart('C', 'R', 'T', 'F').TrimStart('0')).ToList();
}
