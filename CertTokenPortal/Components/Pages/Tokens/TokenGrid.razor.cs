using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Listing;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.Tokens;

/// <summary>
/// Every token, for staff: paged, sorted and filtered in the database by <see cref="ListTokensQuery"/>, exported as
/// CSV with the same filter, revoked from the row.
/// </summary>
public partial class TokenGrid
{
    private static readonly int[] PageSizes = [10, 25, 50, 100];

    private readonly TokenFilter _filter = new();
    private TokenSortField _sortField = TokenSortField.Serial;
    private bool _sortDescending;
    private MudDataGrid<TokenView>? _grid;
    private Actor? _actor;
    private IReadOnlyList<CaConnectorInfo> _cas = [];
    private string? _loadError;
    private bool _showFilters;
    private bool _loaded;
    private bool _exporting;

    [Inject] private ListTokensQuery Tokens { get; set; } = default!;
    [Inject] private ExportTokensCsvQuery CsvExport { get; set; } = default!;
    [Inject] private ListEnrolmentCasQuery EnrolmentCas { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    /// <summary>The dashboard's expiry cards open the grid as <c>/tokens?expires_within=30</c>.</summary>
    [SupplyParameterFromQuery(Name = "expires_within")] public int? ExpiresWithin { get; set; }

    /// <summary>The templates of the chosen CA, or of every CA when none is chosen.</summary>
    private IEnumerable<string> TemplateNames => _cas
        .Where(c => _filter.CaName is null || c.Name == _filter.CaName)
        .SelectMany(c => c.Templates.Select(t => t.Name))
        .Distinct().Order();

    /// <summary>A state to filter by from the address (the dashboard's cards link here with it).</summary>
    [SupplyParameterFromQuery(Name = "state")] public string? StateFromAddress { get; set; }

    protected override async Task OnInitializedAsync()
    {
        if (TokenFilter.States.Contains(StateFromAddress))
        {
            _filter.State = StateFromAddress;
        }
        _showFilters = _filter.Count > 0;
        _actor = await Session.GetActorAsync();
        if (ExpiresWithin is > 0 and <= TokenQuery.MaxExpiresWithinDays)
        {
            _filter.ExpiresWithinDays = ExpiresWithin;
            _showFilters = true;
        }
        _cas = (await EnrolmentCas.ExecuteAsync(_actor)).Value;
    }

    private async Task<GridData<TokenView>> LoadAsync(GridState<TokenView> state, CancellationToken ct)
    {
        var query = _filter.ToQuery(state.Page + 1, state.PageSize, _sortField, _sortDescending);
        var result = await Tokens.ExecuteAsync(_actor!, query, ct);
        _loaded = true;
        if (!result.TryGetValue(out var page, out var error))
        {
            _loadError = error.Message;
            Snackbar.ShowError(error);
            return new GridData<TokenView> { Items = [], TotalItems = 0 };
        }
        _loadError = null;
        return new GridData<TokenView> { Items = page.Tokens, TotalItems = page.Count };
    }

    private Task ReloadAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;

    private Task SearchChangedAsync(string? search) => FilterChangedAsync(() => _filter.Search = search);

    private Task CaFilterChangedAsync(string? ca) => FilterChangedAsync(() =>
    {
        _filter.CaName = ca;
        // A template of another CA would match nothing.
        if (_filter.TemplateName is not null && !TemplateNames.Contains(_filter.TemplateName))
        {
            _filter.TemplateName = null;
        }
    });

    private Task FilterChangedAsync(Action change)
    {
        change();
        return ReloadAsync();
    }

    private Task ClearFiltersAsync() => FilterChangedAsync(_filter.Clear);

    private Task ClearEverythingAsync() => FilterChangedAsync(() =>
    {
        _filter.Clear();
        _filter.Search = null;
    });

    private SortDirection DirectionOf(TokenSortField field) =>
        field != _sortField ? SortDirection.None : _sortDescending ? SortDirection.Descending : SortDirection.Ascending;

    // The sort lives here rather than in the grid: the grid's own sort buttons cannot be given names of their own.
    private Task SortByAsync(TokenSortField field)
    {
        _sortDescending = field == _sortField && !_sortDescending;
        _sortField = field;
        return ReloadAsync();
    }

    private void OpenToken(DataGridRowClickEventArgs<TokenView> row) => Navigation.NavigateTo($"tokens/{row.Item.Serial}");

    private async Task RevokeAsync(TokenView token)
    {
        if (await RevokeTokenDialog.ShowAsync(Dialogs, token))
        {
            await ReloadAsync();
        }
    }

    private async Task ExportCsvAsync()
    {
        _exporting = true;
        try
        {
            var query = _filter.ToQuery();
            var fileName = $"tokens-{Clock.GetUtcNow():yyyyMMdd-HHmm}.csv";
            await JS.SaveFileAsync(fileName, "text/csv", (stream, ct) => CsvExport.ExecuteAsync(_actor!, query, stream, ct));
        }
        finally
        {
            _exporting = false;
        }
    }
}
