using CertTokenPortal.Components.Shared;
using System.Globalization;
using CertTokenPortal.Authentication;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Dashboard;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CertTokenPortal.Components.Pages;

/// <summary>
/// The start page of staff: token counts, what expires soon, expiries per month and the latest audit entries. End
/// users have no dashboard and are sent to their own certificates.
/// </summary>
public partial class Dashboard
{
    /// <summary>How many audit entries the page shows; the audit log has the rest.</summary>
    public const int RecentEntries = 10;

    private string _userName = "";
    private DashboardStatistics? _statistics;
    private string? _loadError;
    private IReadOnlyList<AuditEntry>? _recent;
    private string? _auditError;
    private FirstRunChecklist? _checklist;
    private List<ChartSeries<double>> _series = [];
    private string[] _labels = [];

    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private DashboardStatisticsQuery Statistics { get; set; } = default!;
    [Inject] private AuditLogQuery Audit { get; set; } = default!;
    [Inject] private FirstRunChecklistQuery Checklist { get; set; } = default!;
    [Inject] private DismissFirstRunChecklistCommand DismissChecklist { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    private Actor? _actor;

    private string ChartCaption => _statistics?.ExpiriesByMonth is [var first, .., var last]
        ? $"Certificates in use by the month they expire, {MonthName(first)} to {MonthName(last)} (UTC)."
        : "";

    protected override async Task OnInitializedAsync()
    {
        var actor = await Session.GetActorAsync();
        // End users have no dashboard: their start page is their own certificates.
        if (!actor.Allows(Permission.ViewDashboard))
        {
            Navigation.NavigateTo("my", replace: true);
            return;
        }
        _userName = actor.UserName;
        _actor = actor;
        if (actor.Allows(Permission.ManageUsers))
        {
            // Advice only: a checklist that cannot be read leaves the rest of the dashboard as it is.
            var checklist = await Checklist.ExecuteAsync(actor);
            _checklist = checklist.IsSuccess ? checklist.Value : null;
        }

        var statistics = await Statistics.ExecuteAsync(actor);
        if (!statistics.TryGetValue(out var value, out var error))
        {
            _loadError = error.Message;
            return;
        }
        _statistics = value;
        _labels = value.ExpiriesByMonth.Select(m => new DateTime(m.Year, m.Month, 1).ToString("MMM", CultureInfo.InvariantCulture)).ToArray();
        _series = [new ChartSeries<double> { Name = "Expiring", Data = new ChartData<double>(value.ExpiriesByMonth.Select(m => (double)m.Count).ToList()) }];

        var recent = await Audit.ExecuteAsync(actor, new AuditQuery { PageSize = RecentEntries, ExcludeReads = true });
        if (recent.TryGetValue(out var page, out var auditError))
        {
            _recent = page.Entries;
        }
        else
        {
            _auditError = auditError.Message;
        }
    }

    private async Task DismissChecklistAsync()
    {
        var dismissed = await DismissChecklist.ExecuteAsync(_actor!);
        if (dismissed.Error is { } error)
        {
            Snackbar.ShowError(error);
            return;
        }
        _checklist = _checklist! with { Dismissed = true };
    }

    private static string MonthName(MonthlyExpiries month) =>
        new DateTime(month.Year, month.Month, 1).ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    private sealed record Tile(string Key, string Label, int Count, Color Color, string Href);

    private static IEnumerable<Tile> StateTiles(TokenStateCounts c) =>
    [
        new("enrolled", "Enrolled", c.Enrolled, Color.Success, "tokens?state=enrolled"),
        new("pending", "Pending", c.Pending, c.Pending > 0 ? Color.Warning : Color.Default, "tokens?state=pending"),
        new("denied", "Denied", c.Denied, Color.Default, "tokens?state=denied"),
        new("failed", "Failed", c.Failed, c.Failed > 0 ? Color.Error : Color.Default, "tokens?state=failed"),
        new("revoked", "Revoked", c.Revoked, Color.Default, "tokens?state=revoked"),
    ];

    private static IEnumerable<Tile> ExpiryTiles(ExpiryCounts c) =>
    [
        new("7", "within 7 days", c.Within7Days, c.Within7Days > 0 ? Color.Error : Color.Default, "tokens?expires_within=7"),
        new("30", "within 30 days", c.Within30Days, c.Within30Days > 0 ? Color.Warning : Color.Default, "tokens?expires_within=30"),
        new("90", "within 90 days", c.Within90Days, Color.Default, "tokens?expires_within=90"),
    ];
}
