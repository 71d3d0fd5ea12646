using System.Data.Common;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Dashboard;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CertTokenPortal.Tests.Dashboard;

/// <summary>
/// The dashboard's counts on tokens written straight into the database, with the clock fixed at 20 January 2031
/// noon UTC, so that every window and month boundary is known.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DashboardStatisticsQueryTests : IClassFixture<DashboardStatisticsQueryTests.Seeded>
{
    private static readonly DateTime Now = new(2031, 1, 20, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Actor Admin = new("admin", "default", PortalRoles.Admin, null);
    private static readonly Actor Helpdesk = new("helen", "default", PortalRoles.Helpdesk, null);
    private static readonly Actor User = new("ulla", "default", PortalRoles.User, null);

    private readonly Seeded _seeded;

    public DashboardStatisticsQueryTests(Seeded seeded) => _seeded = seeded;

    public sealed class Seeded : IAsyncLifetime
    {
        public CoreServices Core { get; private set; } = null!;
        public SqlLog Sql { get; } = new();

        public async Task InitializeAsync()
        {
            Core = await CoreServices.StartAsync(configure: s =>
            {
                s.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(Now)));
                s.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(Sql));
            });
            await using var db = Core.NewDb();
            var n = 0;
            void Add(RolloutState state, DateTime? notAfter, bool revoked = false, bool active = true) =>
                db.Tokens.Add(TestTokens.New($"CRT{++n:X8}", state, notAfter, revoked, active));

            // In use, by when they expire.
            Add(RolloutState.Enrolled, Now.AddDays(3));            // January: within 7, 30, 90 days
            Add(RolloutState.Enrolled, Now.AddDays(20));           // February: within 30 and 90 days
            Add(RolloutState.Enrolled, Now.AddDays(60));           // March: within 90 days
            Add(RolloutState.Enrolled, Now.AddDays(200));          // August
            Add(RolloutState.Enrolled, new DateTime(2031, 12, 31, 23, 59, 59, DateTimeKind.Utc)); // December, the last month shown
            Add(RolloutState.Enrolled, new DateTime(2032, 1, 1, 0, 0, 0, DateTimeKind.Utc));     // past the twelve months
            Add(RolloutState.Enrolled, Now.AddDays(-1));           // expired yesterday: not in use
            // Enrolled but not in use: never counted as expiring.
            Add(RolloutState.Enrolled, Now.AddDays(3), active: false);
            Add(RolloutState.Enrolled, Now.AddDays(3), revoked: true);
            Add(RolloutState.Enrolled, Now.AddDays(40), revoked: true);
            // No certificate.
            Add(RolloutState.Pending, null);
            Add(RolloutState.Pending, null);
            Add(RolloutState.Denied, null);
            Add(RolloutState.Failed, null);
            Add(RolloutState.Failed, null);
            Add(RolloutState.Failed, null);
            await db.SaveChangesAsync();
        }

        public async Task DisposeAsync() => await Core.DisposeAsync();
    }

    [Fact]
    public async Task ExecuteAsync_Admin_CountsTokensByState()
    {
        var statistics = await ExecuteAsync(Admin);

        // 8 enrolled (6 in use or expired, 1 disabled, 1 more), revoked counted once whatever their state.
        Assert.Equal(new TokenStateCounts(Enrolled: 8, Pending: 2, Denied: 1, Failed: 3, Revoked: 2), statistics.States);
        Assert.Equal(16, statistics.States.Total);
    }

    [Fact]
    public async Task ExecuteAsync_Helpdesk_CountsCertificatesInUseExpiringWithin7And30And90Days()
    {
        var statistics = await ExecuteAsync(Helpdesk);

        Assert.Equal(new ExpiryCounts(Within7Days: 1, Within30Days: 2, Within90Days: 3), statistics.Expiring);
    }

    [Fact]
    public async Task ExecuteAsync_Admin_CountsExpiriesPerMonthForTwelveMonthsFromThisOne()
    {
        var statistics = await ExecuteAsync(Admin);

        Assert.Equal(Enumerable.Range(1, 12).Select(m => (2031, m)), statistics.ExpiriesByMonth.Select(e => (e.Year, e.Month)));
        Assert.Equal([1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1], statistics.ExpiriesByMonth.Select(e => e.Count));
    }

    [Fact]
    public async Task ExecuteAsync_Admin_CountsInTheDatabaseWithoutLoadingTokens()
    {
        _seeded.Sql.Clear();

        await ExecuteAsync(Admin);

        var tokenQueries = _seeded.Sql.Commands.Where(c => c.Contains("\"Tokens\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, tokenQueries.Count);
        Assert.NotEmpty(tokenQueries);
        Assert.All(tokenQueries, sql => Assert.Contains("COUNT(", sql, StringComparison.OrdinalIgnoreCase));
        Assert.NotEmpty(tokenQueries);
        Assert.All(tokenQueries, sql => Assert.DoesNotContain("CertificatePem", sql, StringComparison.Ordinal));
        Assert.NotEmpty(tokenQueries);
        Assert.All(tokenQueries, sql => Assert.Contains("GROUP BY", sql, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ExecuteAsync_User_Forbidden()
    {
        var result = await QueryAsync(_seeded.Core, User);

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        Assert.Equal("Only admins and helpdesk staff may view the dashboard.", result.Error?.Message);
    }

    [Fact]
    public async Task ExecuteAsync_NoTokens_AllZeroAndTwelveEmptyMonths()
    {
        await using var core = await CoreServices.StartAsync();

        var result = await QueryAsync(core, Admin);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(new TokenStateCounts(0, 0, 0, 0, 0), result.Value.States);
        Assert.Equal(new ExpiryCounts(0, 0, 0), result.Value.Expiring);
        Assert.Equal(12, result.Value.ExpiriesByMonth.Count);
        Assert.NotEmpty(result.Value.ExpiriesByMonth);
        Assert.All(result.Value.ExpiriesByMonth, m => Assert.Equal(0, m.Count));
    }

    private async Task<DashboardStatistics> ExecuteAsync(Actor actor)
    {
        var result = await QueryAsync(_seeded.Core, actor);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    private static Task<Result<DashboardStatistics>> QueryAsync(CoreServices core, Actor actor) =>
        core.InScopeAsync(sp => sp.GetRequiredService<DashboardStatisticsQuery>().ExecuteAsync(actor));

    /// <summary>Records the SQL the portal sends, to show what the database is asked for.</summary>
    public sealed class SqlLog : DbCommandInterceptor
    {
        private readonly List<string> _commands = [];

        public IReadOnlyList<string> Commands
        {
            get { lock (_commands) { return _commands.ToList(); } }
        }

        public void Clear()
        {
            lock (_commands) { _commands.Clear(); }
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            lock (_commands) { _commands.Add(command.CommandText); }
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
