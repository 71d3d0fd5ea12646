using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Dashboard;

/// <summary>
/// The dashboard's numbers for staff: tokens by state, certificates expiring soon, and expiries per month for the
/// coming year. Every number is counted by the database (GROUP BY and COUNT); no token is loaded, so the cost stays
/// flat however many tokens there are.
/// </summary>
public sealed class DashboardStatisticsQuery(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock, UseCaseGuard guard)
{
    /// <summary>The current month and the eleven after it.</summary>
    public const int Months = 12;

    public Task<Result<DashboardStatistics>> ExecuteAsync(Actor actor, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ViewDashboard, PortalError.Forbidden("Only admins and helpdesk staff may view the dashboard."), refusal: null, () => ReadAsync(ct), ct);

    private async Task<Result<DashboardStatistics>> ReadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return new DashboardStatistics(
            await CountStatesAsync(db, ct),
            await CountExpiringAsync(db, now, ct),
            await CountByMonthAsync(db, now, ct),
            now);
    }

    private static async Task<TokenStateCounts> CountStatesAsync(PortalDbContext db, CancellationToken ct)
    {
        var groups = await db.Tokens
            .GroupBy(t => new { t.RolloutState, t.Revoked })
            .Select(g => new { g.Key.RolloutState, g.Key.Revoked, Count = g.Count() })
            .ToListAsync(ct);
        int Live(RolloutState state) => groups.Where(g => !g.Revoked && g.RolloutState == state).Sum(g => g.Count);
        return new TokenStateCounts(
            Live(RolloutState.Enrolled), Live(RolloutState.Pending), Live(RolloutState.Denied), Live(RolloutState.Failed),
            groups.Where(g => g.Revoked).Sum(g => g.Count));
    }

    private static async Task<ExpiryCounts> CountExpiringAsync(PortalDbContext db, DateTime now, CancellationToken ct)
    {
        DateTime in7 = now.AddDays(7), in30 = now.AddDays(30), in90 = now.AddDays(90);
        // One row: a constant group key makes COUNT(CASE ...) per window in a single scan of the NotAfter range.
        var counts = await InUse(db, now)
            .Where(t => t.NotAfter < in90)
            .GroupBy(_ => 1)
            .Select(g => new ExpiryCounts(g.Count(t => t.NotAfter < in7), g.Count(t => t.NotAfter < in30), g.Count()))
            .SingleOrDefaultAsync(ct);
        return counts ?? new ExpiryCounts(0, 0, 0);
    }

    private static async Task<IReadOnlyList<MonthlyExpiries>> CountByMonthAsync(PortalDbContext db, DateTime now, CancellationToken ct)
    {
        var firstMonth = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var end = firstMonth.AddMonths(Months);
        var groups = await InUse(db, now)
            .Where(t => t.NotAfter < end)
            .GroupBy(t => new { t.NotAfter!.Value.Year, t.NotAfter.Value.Month })
            .Select(g => new { g.Key.Year, g.Key.Month, Count = g.Count() })
            .ToListAsync(ct);
        // Months without expiries are rows the database cannot return; they are filled in as zeros.
        return Enumerable.Range(0, Months)
            .Select(i => firstMonth.AddMonths(i))
            .Select(m => new MonthlyExpiries(m.Year, m.Month,
                groups.Where(g => g.Year == m.Year && g.Month == m.Month).Sum(g => g.Count)))
            .ToList();
    }

    /// <summary>Certificates in use: the token holds an issued certificate, is active, not revoked, and not expired.</summary>
    private static IQueryable<CertificateToken> InUse(PortalDbContext db, DateTime now) =>
        db.Tokens.Where(t => t.RolloutState == RolloutState.Enrolled && t.Active && !t.Revoked &&
                             t.NotAfter != null && t.NotAfter >= now);
}
