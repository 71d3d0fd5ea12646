using System.Net;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Api;

/// <summary>
/// Listing, paging, filters and CSV, on a portal seeded with tokens written straight into the database; on SQLite and
/// on PostgreSQL (the subclasses at the end).
/// </summary>
public abstract class TokenListTests
{
    private readonly SeededPortal _portal;

    protected TokenListTests(SeededPortal portal) => _portal = portal;

    public class SeededPortal : PortalFactory, IAsyncLifetime
    {
        public SeededPortal()
        {
        }

        protected SeededPortal(IDictionary<string, string?> settings) : base(settings)
        {
        }

        public new sealed class OnPostgreSql() : SeededPortal(TestDatabase.WithAsync(Core.Persistence.DatabaseProvider.PostgreSql).GetAwaiter().GetResult());

        public async Task InitializeAsync()
        {
            var listerId = (await this.CreateUserAsync("lister", PortalRoles.User)).Id;
            await using var db = NewDb();
            var now = DateTime.UtcNow;
            for (var i = 0; i < 37; i++)
            {
                db.Tokens.Add(new CertificateToken
                {
                    Serial = $"CRT{i:X8}",
                    OwnerUserName = i < 5 ? "lister" : "someone",
                    OwnerId = i < 5 ? listerId : null,
                    OwnerRealm = "default",
                    RolloutState = i % 10 == 9 ? RolloutState.Failed : RolloutState.Enrolled,
                    Revoked = i % 7 == 0,
                    Active = i % 7 != 0,
                    EnrolmentMode = EnrolmentModes.Request,
                    Subject = $"CN=host{i:D2}.example.test",
                    Description = i == 3 ? "needle, with comma" : "",
                    NotAfter = now.AddDays(i),
                    CreatedAt = now,
                    UpdatedAt = now,
                    CreatedBy = "seed",
                    Version = Guid.NewGuid(),
                });
            }
            await db.SaveChangesAsync();
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task List_DefaultPage_Has15TokensAndPagingFacts()
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var answer = await admin.GetAsync("/token/");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(37, answer.Value.GetProperty("count").GetInt32());
        Assert.Equal(15, answer.Value.GetProperty("tokens").GetArrayLength());
        Assert.Equal(1, answer.Value.GetProperty("current").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, answer.Value.GetProperty("prev").ValueKind);
        Assert.Equal(2, answer.Value.GetProperty("next").GetInt32());
        var first = answer.Value.GetProperty("tokens")[0];
        Assert.Equal("CRT00000000", first.GetProperty("serial").GetString());
        Assert.Equal("certificate", first.GetProperty("tokentype").GetString());
        Assert.Equal("someone", answer.Value.GetProperty("tokens")[5].GetProperty("username").GetString());
    }

    [Fact]
    public async Task List_LastPage_HasTheRestInOrderAndNoNext()
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var answer = await admin.GetAsync("/token/?page=3&pagesize=15");

        var tokens = answer.Value.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("serial").GetString()).ToList();
        Assert.Equal(Enumerable.Range(30, 7).Select(i => $"CRT{i:X8}"), tokens);
        Assert.Equal(2, answer.Value.GetProperty("prev").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, answer.Value.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task List_EveryPageDescending_CoversAllTokensOnceInOrder()
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);
        var seen = new List<string>();
        for (var page = 1; page <= 4; page++)
        {
            var answer = await admin.GetAsync($"/token/?page={page}&pagesize=10&sortby=serial&sortdir=desc");
            seen.AddRange(answer.Value.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("serial").GetString()!));
        }

        Assert.Equal(Enumerable.Range(0, 37).Reverse().Select(i => $"CRT{i:X8}"), seen);
    }

    [Theory]
    [InlineData("serial=CRT0000001*", 16)]
    [InlineData("rollout_state=failed", 3)]
    [InlineData("revoked=1", 6)]
    [InlineData("active=false", 6)]
    [InlineData("user=lister", 5)]
    [InlineData("type=hotp", 0)]
    [InlineData("q=needle", 1)]
    [InlineData("subject=host2", 10)]
    public async Task List_Filter_CountsOnlyMatches(string filter, int expected)
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var answer = await admin.GetAsync($"/token/?{filter}");

        Assert.Equal(expected, answer.Value.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task List_AsUser_SeesOnlyOwnTokensWhateverTheFilter()
    {
        var user = await ApiClient.LoginAsync(_portal, "lister", PortalUsers.Password);

        var answer = await user.GetAsync("/token/?user=someone&pagesize=100");

        Assert.Equal(5, answer.Value.GetProperty("count").GetInt32());
        Assert.NotEmpty(answer.Value.GetProperty("tokens").EnumerateArray());
        Assert.All(answer.Value.GetProperty("tokens").EnumerateArray(), t => Assert.Equal("lister", t.GetProperty("username").GetString()));
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("page=abc")]
    [InlineData("pagesize=-1")]
    [InlineData("sortdir=sideways")]
    [InlineData("rollout_state=melted")]
    public async Task List_BadParameter_Is400WithMessage(string query)
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var answer = await admin.GetAsync($"/token/?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(query.Split('=')[0], answer.ErrorMessage);
    }

    [Fact]
    public async Task List_OutformCsv_HasHeaderAndOneQuotedRowPerMatchingToken()
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var (status, content, contentType, _) = await admin.DownloadAsync("/token/?outform=csv&revoked=0");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/csv", contentType);
        var lines = System.Text.Encoding.UTF8.GetString(content).TrimEnd('\n').Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.StartsWith("serial,tokentype,username,realm,description", lines[0]);
        Assert.Equal(31, lines.Count - 1);
        Assert.Contains(lines, l => l.StartsWith("CRT00000003,certificate,lister,default,\"needle, with comma\",true,false"));
    }
}

[Trait("Category", "Api")]
public sealed class TokenListOnSqliteTests(TokenListTests.SeededPortal portal) : TokenListTests(portal), IClassFixture<TokenListTests.SeededPortal>;

[Trait("Category", "Api"), Trait("Database", "PostgreSql")]
public sealed class TokenListOnPostgreSqlTests(TokenListTests.SeededPortal.OnPostgreSql portal) : TokenListTests(portal), IClassFixture<TokenListTests.SeededPortal.OnPostgreSql>;
