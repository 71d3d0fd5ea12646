namespace CertTokenPortal.Core.Dashboard;

/// <summary>The numbers of the dashboard, computed at <see cref="ComputedAt"/>.</summary>
public sealed record DashboardStatistics(
    TokenStateCounts States,
    ExpiryCounts Expiring,
    IReadOnlyList<MonthlyExpiries> ExpiriesByMonth,
    DateTime ComputedAt);

/// <summary>
/// Tokens by state. The five counts split all tokens: a revoked token counts as revoked whatever its rollout state,
/// the others by their rollout state.
/// </summary>
public sealed record TokenStateCounts(int Enrolled, int Pending, int Denied, int Failed, int Revoked)
{
    public int Total => Enrolled + Pending + Denied + Failed + Revoked;
}

/// <summary>
/// Certificates that are still in use (token enrolled, active, not revoked, not yet expired) and expire within 7, 30
/// or 90 days. Each count includes the shorter ones.
/// </summary>
public sealed record ExpiryCounts(int Within7Days, int Within30Days, int Within90Days);

/// <summary>How many certificates in use expire in one calendar month (UTC).</summary>
public sealed record MonthlyExpiries(int Year, int Month, int Count);
