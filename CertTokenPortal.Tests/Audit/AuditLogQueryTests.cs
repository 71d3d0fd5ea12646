using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Audit;

/// <summary>
/// Filters, sorting and paging of the audit log on 30 entries written straight into the database, one a minute from
/// 1 March 2031 10:00 UTC: entry i is by alice, bob or admin (i mod 3), a revoke or an enrolment (i mod 2), a failure
/// when i is a multiple of 5, about token CRT0000000i (hex). Queries that write to the log (refusals) are tested in
/// <see cref="AuditLogQueryRefusalTests"/>, so that the counts here stay exact.
/// </summary>
[Trait("Category", "Unit")]
public sealed class AuditLogQueryTests(AuditLogQueryTests.Seeded seeded) : IClassFixture<AuditLogQueryTests.Seeded>
{
    public static readonly DateTime Start = new(2031, 3, 1, 10, 0, 0, DateTimeKind.Utc);
    private static readonly Actor Admin = new("admin", "default", PortalRoles.Admin, null);

    public sealed class Seeded : IAsyncLifetime
    {
        public CoreServices Core { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Core = await CoreServices.StartAsync();
            await using var db = Core.NewDb();
            await db.AuditEntries.ExecuteDeleteAsync(); // what start-up wrote
            for (var i = 0; i < 30; i++)
            {
                db.AuditEntries.Add(new AuditEntry
                {
                    Timestamp = Start.AddMinutes(i),
                    UserName = (i % 3) switch { 0 => "alice", 1 => "bob", _ => "admin" },
                    Realm = "default",
                    Role = PortalRoles.Admin,
                    Action = i % 2 == 0 ? AuditActions.TokenRevoke : AuditActions.TokenEnrol,
                    Serial = Serial(i),
                    Success = i % 5 != 0,
                    Message = $"entry {i}",
                });
            }
            await db.SaveChangesAsync();
        }

        public async Task DisposeAsync() => await Core.DisposeAsync();
    }

    [Fact]
    public async Task ExecuteAsync_NoFilter_NewestFirstFirstPageWithCount()
    {
        var page = await ListAsync(new AuditQuery { PageSize = 25 });

        Assert.Equal(30, page.Count);
        Assert.Equal(Range(29, 5), Messages(page));
        Assert.Null(page.Prev);
        Assert.Equal(2, page.Next);
    }

    [Fact]
    public async Task ExecuteAsync_SecondPage_HoldsTheRestAndNoNext()
    {
        var page = await ListAsync(new AuditQuery { Page = 2, PageSize = 25 });

        Assert.Equal(Range(4, 0), Messages(page));
        Assert.Equal(1, page.Prev);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task ExecuteAsync_PageBeyondTheEnd_EmptyWithCount()
    {
        var page = await ListAsync(new AuditQuery { Page = 7, PageSize = 10 });

        Assert.Empty(page.Entries);
        Assert.Equal(30, page.Count);
    }

    [Fact]
    public async Task ExecuteAsync_SortByUserAscending_GroupsUsersOldestFirstWithin()
    {
        var page = await ListAsync(new AuditQuery { SortBy = AuditSortField.UserName, Descending = false, PageSize = 30 });

        Assert.Equal(["admin", "alice", "bob"], page.Entries.Select(e => e.UserName).Distinct());
        Assert.Equal(["entry 2", "entry 5", "entry 8"], Messages(page).Take(3));
    }

    [Fact]
    public async Task ExecuteAsync_UserExact_OnlyThatUser()
    {
        var page = await ListAsync(new AuditQuery { UserName = "bob", PageSize = 100 });

        Assert.Equal(10, page.Count);
        Assert.NotEmpty(page.Entries);
        Assert.All(page.Entries, e => Assert.Equal("bob", e.UserName));
    }

    [Fact]
    public async Task ExecuteAsync_UserWildcard_MatchesPrefix()
    {
        var page = await ListAsync(new AuditQuery { UserName = "al*", PageSize = 100 });

        Assert.Equal(10, page.Count);
        Assert.NotEmpty(page.Entries);
        Assert.All(page.Entries, e => Assert.Equal("alice", e.UserName));
    }

    [Fact]
    public async Task ExecuteAsync_UserPartWithoutWildcard_MatchesNothing()
    {
        var page = await ListAsync(new AuditQuery { UserName = "ali" });

        Assert.Equal(0, page.Count);
    }

    [Fact]
    public async Task ExecuteAsync_Action_OnlyThatAction()
    {
        var page = await ListAsync(new AuditQuery { Action = AuditActions.TokenRevoke, PageSize = 100 });

        Assert.Equal(15, page.Count);
        Assert.NotEmpty(page.Entries);
        Assert.All(page.Entries, e => Assert.Equal(AuditActions.TokenRevoke, e.Action));
    }

    [Fact]
    public async Task ExecuteAsync_ActionWildcard_MatchesTheFeature()
    {
        Assert.Equal(30, (await ListAsync(new AuditQuery { Action = "token.*" })).Count);
        Assert.Equal(0, (await ListAsync(new AuditQuery { Action = "ca.*" })).Count);
    }

    [Fact]
    public async Task ExecuteAsync_Serial_OnlyThatToken()
    {
        var page = await ListAsync(new AuditQuery { Serial = Serial(7) });

        Assert.Equal(["entry 7"], Messages(page));
    }

    [Fact]
    public async Task ExecuteAsync_SerialWithLikeCharacters_TakesThemLiterally()
    {
        Assert.Equal(30, (await ListAsync(new AuditQuery { Serial = "CRT*" })).Count);
        Assert.Equal(0, (await ListAsync(new AuditQuery { Serial = "CRT_*" })).Count);
        Assert.Equal(0, (await ListAsync(new AuditQuery { Serial = "%" })).Count);
    }

    [Fact]
    public async Task ExecuteAsync_FailuresOnly_TheSixFailures()
    {
        var page = await ListAsync(new AuditQuery { Success = false, PageSize = 100 });

        Assert.Equal(["entry 25", "entry 20", "entry 15", "entry 10", "entry 5", "entry 0"], Messages(page));
    }

    [Fact]
    public async Task ExecuteAsync_SuccessesOnly_TheOther24()
    {
        var page = await ListAsync(new AuditQuery { Success = true, PageSize = 100 });

        Assert.Equal(24, page.Count);
        Assert.NotEmpty(page.Entries);
        Assert.All(page.Entries, e => Assert.True(e.Success));
    }

    [Fact]
    public async Task ExecuteAsync_TimeRange_FromInclusiveToExclusive()
    {
        var page = await ListAsync(new AuditQuery { From = Start.AddMinutes(10), To = Start.AddMinutes(20), PageSize = 100 });

        Assert.Equal(Range(19, 10), Messages(page));
    }

    [Fact]
    public async Task ExecuteAsync_FiltersCombined_AllMustHold()
    {
        var page = await ListAsync(new AuditQuery { UserName = "alice", Action = AuditActions.TokenRevoke, Success = true, PageSize = 100 });

        // i multiple of 6 (alice and revoke), not of 5.
        Assert.Equal(["entry 24", "entry 18", "entry 12", "entry 6"], Messages(page));
    }

    private async Task<AuditPage> ListAsync(AuditQuery query)
    {
        var result = await QueryAsync(Admin, query);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    private Task<Result<AuditPage>> QueryAsync(Actor actor, AuditQuery query) =>
        seeded.Core.InScopeAsync(sp => sp.GetRequiredService<AuditLogQuery>().ExecuteAsync(actor, query));

    private static string Serial(int i) => $"CRT{i:X8}";

    private static List<string> Messages(AuditPage page) => page.Entries.Select(e => e.Message).ToList();

    private static IEnumerable<string> Range(int from, int downTo) =>
        Enumerable.Range(downTo, from - downTo + 1).Reverse().Select(i => $"entry {i}");
}
