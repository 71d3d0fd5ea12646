using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Listing;
using CertTokenPortal.Core.Tokens.Pending;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.Pending;

/// <summary>
/// The requests waiting at approval-gated CAs, oldest first, with approve and deny. Own requests show the buttons
/// disabled; <see cref="DecidePendingRequestCommand"/> refuses them anyway.
/// </summary>
public partial class Pending
{
    private const int PageSize = 200;

    private IReadOnlyList<TokenView>? _tokens;
    private int _total;
    private string? _loadError;
    private bool _busy;
    private Actor? _actor;

    [Inject] private ListTokensQuery List { get; set; } = default!;
    [Inject] private DecidePendingRequestCommand Decide { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _actor = await Session.GetActorAsync();
        // Only in the live circuit: the prerender would list (and audit) the requests a second time.
        if (RendererInfo.IsInteractive)
        {
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        var query = new TokenQuery { RolloutState = RolloutState.Pending, PageSize = PageSize, SortBy = TokenSortField.CreatedAt };
        var result = await List.ExecuteAsync(_actor!, query);
        if (result.TryGetValue(out var page, out var error))
        {
            _tokens = page.Tokens;
            _total = page.Count;
            _loadError = null;
        }
        else
        {
            _loadError = error.Message;
            Snackbar.ShowError(error);
        }
    }

    private PortalError? RefusalFor(TokenView token) => PendingDecisionRules.CheckMayDecide(_actor!, token);

    private async Task ApproveAsync(TokenView token)
    {
        _busy = true;
        try
        {
            var result = await Decide.ExecuteAsync(_actor!, new DecisionRequest(token.Serial, Approve: true));
            Snackbar.ShowOutcome(result, t => $"Approved: {t.Serial} now holds certificate {t.CertificateSerial}.");
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task DenyAsync(TokenView token)
    {
        var parameters = new DialogParameters<DenyDialog> { { d => d.Token, token } };
        var dialog = await Dialogs.ShowAsync<DenyDialog>($"Deny {token.Serial}", parameters,
            PortalDialogOptions.Form());
        // Decided or not, the list may have changed meanwhile (another admin), so it is read again after a denial.
        if (await dialog.Result is { Canceled: false })
        {
            await LoadAsync();
        }
    }
}
