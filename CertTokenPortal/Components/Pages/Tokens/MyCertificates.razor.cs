using CertTokenPortal.Core.Policies;
using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Listing;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.Tokens;

/// <summary>
/// The logged-in person's own tokens, as cards that fit a phone. Every role has this page; staff see their own
/// tokens here too (their grid shows everyone's).
/// </summary>
public partial class MyCertificates
{
    private const int PageSize = 12;

    private Actor? _actor;
    private EffectivePolicy _revokePolicy = EffectivePolicy.None;
    private TokenPage? _page;
    private int _pageNumber = 1;
    private string? _loadError;

    [Inject] private ListTokensQuery Tokens { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private EffectivePolicyResolver Policies { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    private int PageCount => _page is null ? 0 : (_page.Count + PageSize - 1) / PageSize;

    protected override async Task OnInitializedAsync()
    {
        _actor = await Session.GetActorAsync();
        _revokePolicy = await Policies.ForRevocationAsync(_actor, _actor.Realm);
        // Prerendering runs this once more before the live circuit does; loading only live keeps the audit log at one
        // token.list entry per visit (the prerendered page shows the loading bar meanwhile).
        if (RendererInfo.IsInteractive)
        {
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        // Core already limits the role user to own tokens; the explicit owner makes "my" mean the same for staff.
        var query = new TokenQuery
        {
            UserName = _actor!.UserName,
            Realm = _actor.Realm,
            Page = _pageNumber,
            PageSize = PageSize,
            SortBy = TokenSortField.CreatedAt,
            Descending = true,
        };
        var result = await Tokens.ExecuteAsync(_actor, query);
        if (result.TryGetValue(out var page, out var error))
        {
            (_page, _loadError) = (page, null);
        }
        else
        {
            _loadError = error.Message;
            Snackbar.ShowError(error);
        }
    }

    private async Task PageChangedAsync(int page)
    {
        _pageNumber = page;
        await LoadAsync();
    }

    private async Task RevokeAsync(TokenView token)
    {
        if (await RevokeTokenDialog.ShowAsync(Dialogs, token))
        {
            await LoadAsync();
        }
    }
}
