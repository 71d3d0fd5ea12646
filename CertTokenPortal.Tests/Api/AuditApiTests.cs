using System.Net;
using System.Text.Json;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>
/// <c>GET /audit/</c> by role and with filters, on a portal whose log holds, besides what logins write, twelve
/// entries by "auditee" on 1 March 2031, one an hour from 08:00 UTC: revokes of CRT000000A0 + i for even i,
/// enrolments for odd i, failures for i = 0, 4 and 8.
/// </summary>
[Trait("Category", "Api")]
public sealed class AuditApiTests(AuditApiTests.Portal portal) : IClassFixture<AuditApiTests.Portal>
{
    public sealed class Portal : PortalFactory, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            await this.CreateUserAsync("auditor", PortalRoles.Helpdesk);
            await this.CreateUserAsync("plain", PortalRoles.User);
            await using var db = NewDb();
            for (var i = 0; i < 12; i++)
            {
                db.AuditEntries.Add(new AuditEntry
                {
                    Timestamp = new DateTime(2031, 3, 1, 8 + i, 0, 0, DateTimeKind.Utc),
                    UserName = "auditee",
                    Realm = "default",
                    Role = PortalRoles.Helpdesk,
                    ClientAddress = "192.0.2.1",
                    Action = i % 2 == 0 ? AuditActions.TokenRevoke : AuditActions.TokenEnrol,
                    Serial = $"CRT{0xA0 + i:X8}",
                    TargetUser = "victim",
                    CaName = "localCA",
                    Success = i % 4 != 0,
                    Message = $"entry {i}",
                });
            }
            await db.SaveChangesAsync();
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Theory]
    [InlineData("admin", PortalFactory.AdminPassword)]
    [InlineData("auditor", PortalUsers.Password)]
    public async Task List_Staff_Ok(string user, string password)
    {
        var api = await ApiClient.LoginAsync(portal, user, password);

        var answer = await api.GetAsync("/audit/?user=auditee&pagesize=100");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(12, answer.Value.GetProperty("count").GetInt32());
        Assert.Equal(12, answer.Value.GetProperty("auditdata").GetArrayLength());
    }

    [Fact]
    public async Task List_EndUser_ForbiddenInEnvelopeAndAudited()
    {
        var api = await ApiClient.LoginAsync(portal, "plain", PortalUsers.Password);

        var answer = await api.GetAsync("/audit/");

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.False(answer.Ok);
        Assert.Equal("Only admins and helpdesk staff may read the audit log.", answer.ErrorMessage);
        await using var db = portal.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.UserName == "plain" && e.Action == AuditActions.AuditView && !e.Success));
    }

    [Fact]
    public async Task List_WithoutLogin_Unauthorized()
    {
        var answer = await ApiClient.Anonymous(portal).GetAsync("/audit/");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
    }

    [Fact]
    public async Task List_Entry_HasPrivacyIdeaStyleFields()
    {
        var api = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);

        var answer = await api.GetAsync("/audit/?serial=CRT000000AB");

        var entry = Assert.Single(answer.Value.GetProperty("auditdata").EnumerateArray());
        Assert.Equal("2031-03-01T19:00:00Z", entry.GetProperty("date").GetString());
        Assert.Equal("auditee", entry.GetProperty("user").GetString());
        Assert.Equal("helpdesk", entry.GetProperty("role").GetString());
        Assert.Equal("192.0.2.1", entry.GetProperty("client").GetString());
        Assert.Equal(AuditActions.TokenEnrol, entry.GetProperty("action").GetString());
        Assert.Equal("victim", entry.GetProperty("target_user").GetString());
        Assert.Equal("localCA", entry.GetProperty("ca").GetString());
        Assert.True(entry.GetProperty("success").GetBoolean());
        Assert.Equal("entry 11", entry.GetProperty("info").GetString());
        Assert.True(entry.GetProperty("number").GetInt64() > 0);
    }

    [Fact]
    public async Task List_ActionAndFailureFilters_NewestFirst()
    {
        var api = await ApiClient.LoginAsync(portal, "auditor", PortalUsers.Password);

        var answer = await api.GetAsync($"/audit/?user=auditee&action={AuditActions.TokenRevoke}&success=0");

        Assert.Equal(["entry 8", "entry 4", "entry 0"], Infos(answer));
    }

    [Fact]
    public async Task List_TimeRange_FromInclusiveToExclusive()
    {
        var api = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);

        var answer = await api.GetAsync("/audit/?user=auditee&from=2031-03-01T10:00:00Z&to=2031-03-01T13:00:00Z");

        Assert.Equal(["entry 4", "entry 3", "entry 2"], Infos(answer));
    }

    [Fact]
    public async Task List_BareDates_IncludeTheWholeToDay()
    {
        var api = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);

        var answer = await api.GetAsync("/audit/?user=auditee&from=2031-03-01&to=2031-03-01&pagesize=100");

        Assert.Equal(12, answer.Value.GetProperty("count").GetInt32());
        Assert.Equal(0, (await api.GetAsync("/audit/?user=auditee&to=2031-02-28")).Value.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task List_OffsetInTime_ReadAsThatInstant()
    {
        var api = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);

        // 12:00+02:00 is 10:00 UTC.
        var answer = await api.GetAsync("/audit/?user=auditee&from=2031-03-01T12:00:00%2B02:00&to=2031-03-01T11:00:00Z");

        Assert.Equal(["entry 2"], Infos(answer));
    }

    [Fact]
    public async Task List_PagesAndAscendingSort_PagingFacts()
    {
        var api = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);

        var answer = await api.GetAsync("/audit/?user=auditee&sortdir=asc&page=2&pagesize=5");

        Assert.Equal(["entry 5", "entry 6", "entry 7", "entry 8", "entry 9"], Infos(answer));
        Assert.Equal(2, answer.Value.GetProperty("current").GetInt32());
        Assert.Equal(1, answer.Value.GetProperty("prev").GetInt32());
        Assert.Equal(3, answer.Value.GetProperty("next").GetInt32());
    }

    [Fact]
    public async Task List_SerialWildcard_MatchesPrefix()
    {
        var api = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);

        var answer = await api.GetAsync("/audit/?serial=CRT000000A*&pagesize=100");

        Assert.Equal(12, answer.Value.GetProperty("count").GetInt32());
        Assert.Equal(0, (await api.GetAsync("/audit/?serial=CRT000000B*")).Value.GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData("success=maybe", "success 'maybe' must be 1 (successes) or 0 (failures).")]
    [InlineData("from=yesterday", "from 'yesterday' is not an ISO 8601 date or time")]
    [InlineData("to=01/03/2031", "to '01/03/2031' is not an ISO 8601 date or time")]
    [InlineData("page=zero", "page 'zero' is not a page number")]
    [InlineData("page=0", "page must be 1 or more and pagesize between 1 and 1000.")]
    [InlineData("pagesize=5000", "page must be 1 or more and pagesize between 1 and 1000.")]
    [InlineData("sortby=colour", "sortby 'colour' is not a column")]
    [InlineData("sortdir=up", "sortdir 'up' must be asc or desc.")]
    [InlineData("from=2031-03-02&to=2031-03-01T00:00:00Z", "The start of the time range must be before its end.")]
    public async Task List_BadParameter_400WithMessage(string parameters, string message)
    {
        var api = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);

        var answer = await api.GetAsync($"/audit/?{parameters}");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.StartsWith(message, answer.ErrorMessage);
    }

    [Fact]
    public async Task SameAddress_BrowserAskingForHtml_GetsTheAuditPage()
    {
        var browser = portal.CreateNonRedirectingClient();
        await browser.PostLoginAsync("admin", PortalFactory.AdminPassword);

        var page = await browser.GetPageAsync("/audit");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-testid=\"audit-title\"", await page.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/audit")]
    [InlineData("/audit/")]
    public async Task SameAddress_ApiClient_GetsTheEnvelope(string path)
    {
        var api = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);

        var answer = await api.GetAsync($"{path}?user=auditee");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(12, answer.Value.GetProperty("count").GetInt32());
    }

    private static List<string?> Infos(ApiAnswer answer) =>
        answer.Value.GetProperty("auditdata").EnumerateArray().Select(e => e.GetProperty("info").GetString()).ToList();
}
