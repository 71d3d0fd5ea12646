using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.Audit;

/// <summary>
/// The audit log for admins and helpdesk staff: filters above a grid that pages and sorts in the database through
/// <see cref="AuditLogQuery"/>. A link may preset the filters (<c>/audit?serial=CRT...</c>, <c>?user=</c>, <c>?action=</c>).
/// </summary>
public partial class AuditLog
{
    private const string AnyOutcome = "any";
    private const string SuccessOutcome = "success";
    private const string FailureOutcome = "failure";
    private static readonly int[] PageSizes = [10, 25, 50, 100];

    private MudDataGrid<AuditEntry>? _grid;
    private Actor? _actor;
    private string? _user;
    private string? _action;
    private string? _serial;
    private string _outcome = AnyOutcome;
    private DateTime? _from;
    private DateTime? _to;
    private string? _loadError;
    private bool _hideReads;
    // The sort lives here rather than in the grid: the grid's own sort buttons cannot be given names of their own.
    private AuditSortField _sortField = AuditSortField.Timestamp;
    private bool _sortDescending = true;

    [Inject] private AuditLogQuery Query { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "user")] public string? UserParameter { get; set; }
    [SupplyParameterFromQuery(Name = "action")] public string? ActionParameter { get; set; }
    [SupplyParameterFromQuery(Name = "serial")] public string? SerialParameter { get; set; }

    protected override void OnInitialized()
    {
        _user = UserParameter;
        _action = ActionParameter;
        _serial = SerialParameter;
    }

    private async Task<GridData<AuditEntry>> LoadAsync(GridState<AuditEntry> state, CancellationToken ct)
    {
        var query = new AuditQuery
        {
            UserName = _user,
            Action = _action,
            Serial = _serial,
            ExcludeReads = _hideReads,
            Success = _outcome switch { SuccessOutcome => true, FailureOutcome => false, _ => null },
            // The inputs are labelled UTC: the log, the API and certificates all speak UTC.
            From = AsUtc(_from),
            To = AsUtc(_to),
            Page = state.Page + 1,
            PageSize = state.PageSize,
            SortBy = _sortField,
            Descending = _sortDescending,
        };
        // The grid loads on every filter, page and sort change; the session's actor is asked for once.
        _actor ??= await Session.GetActorAsync();
        var result = await Query.ExecuteAsync(_actor, query, ct);
        if (!result.TryGetValue(out var page, out var error))
        {
            ShowLoadError(error.Message);
            Snackbar.ShowError(error);
            return new GridData<AuditEntry> { Items = [], TotalItems = 0 };
        }
        ShowLoadError(null);
        return new GridData<AuditEntry> { Items = page.Entries, TotalItems = page.Count };
    }

    /// <summary>The message sits above the grid, which the grid's own re-render does not reach: re-render the page.</summary>
    private void ShowLoadError(string? message)
    {
        if (_loadError != message)
        {
            _loadError = message;
            StateHasChanged();
        }
    }

    private SortDirection DirectionOf(AuditSortField field) =>
        field != _sortField ? SortDirection.None : _sortDescending ? SortDirection.Descending : SortDirection.Ascending;

    /// <summary>A first click sorts ascending (the time column starts newest first), a second click turns it round.</summary>
    private Task SortByAsync(AuditSortField field) => SetAndReloadAsync(() =>
    {
        _sortDescending = field == _sortField && !_sortDescending;
        _sortField = field;
    });

    private static DateTime? AsUtc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    private static string Target(AuditEntry entry) => string.Join(" · ", new[]
    {
        string.IsNullOrEmpty(entry.TargetUser) ? null : $"for {entry.TargetUser}",
        string.IsNullOrEmpty(entry.CaName) ? null : $"CA {entry.CaName}",
    }.Where(s => s is not null));

    private Task UserChangedAsync(string? value) => SetAndReloadAsync(() => _user = value);
    private Task ActionChangedAsync(string? value) => SetAndReloadAsync(() => _action = value);
    private Task HideReadsChangedAsync(bool value) => SetAndReloadAsync(() => _hideReads = value);
    private Task SerialChangedAsync(string? value) => SetAndReloadAsync(() => _serial = value);
    private Task OutcomeChangedAsync(string? value) => SetAndReloadAsync(() => _outcome = value ?? AnyOutcome);
    private Task FromChangedAsync(DateTime? value) => SetAndReloadAsync(() => _from = value);
    private Task ToChangedAsync(DateTime? value) => SetAndReloadAsync(() => _to = value);

    private async Task SetAndReloadAsync(Action set)
    {
        set();
        if (_grid is null)
        {
            return;
        }
        // A narrower filter may have fewer pages than the page shown: start again at the first.
        if (_grid.CurrentPage != 0)
        {
            _grid.NavigateTo(MudBlazor.Page.First);
        }
        await _grid.ReloadServerData();
    }
}
