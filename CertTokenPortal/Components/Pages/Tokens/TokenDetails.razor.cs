using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Lifecycle;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.Tokens;

/// <summary>
/// One token with every certificate field, its downloads and the actions the role allows. Which buttons appear is
/// asked of <see cref="TokenAccess"/>; the use cases behind them ask again.
/// </summary>
public partial class TokenDetails
{
    private Actor? _actor;
    private TokenView? _token;
    private EffectivePolicy _revokePolicy = EffectivePolicy.None;
    private CertificateDetails? _details;
    private PortalError? _loadError;
    private string? _description;
    private bool _busy;

    [Parameter] public string Serial { get; set; } = "";

    [Inject] private GetTokenQuery Tokens { get; set; } = default!;
    [Inject] private EffectivePolicyResolver Policies { get; set; } = default!;
    [Inject] private SetTokenDescriptionCommand SetDescription { get; set; } = default!;
    [Inject] private SetTokenActiveCommand SetActive { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    private bool CanRevoke => _actor is not null && _token is not null && TokenAccess.CanRevoke(_actor, _token, _revokePolicy);

    private bool CanDelete => _actor is not null && _token is not null && TokenAccess.CheckDelete(_actor, _token) is null;

    /// <summary>Staff come from the token grid, users from their own certificates.</summary>
    private string BackHref => _actor?.Allows(Permission.ViewAllTokens) == true ? "tokens" : "my";

    protected override async Task OnParametersSetAsync()
    {
        _actor ??= await Session.GetActorAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var result = await Tokens.ExecuteAsync(_actor!, Serial);
        if (!result.TryGetValue(out var token, out var error))
        {
            (_token, _details, _loadError) = (null, null, error);
            return;
        }
        _loadError = null;
        _token = token;
        _revokePolicy = await Policies.ForRevocationAsync(_actor!, token.Realm);
        _details = token.CertificatePem is null ? null : CertificateDetails.OfPem(token.CertificatePem);
        _description = token.Description;
    }

    private async Task SaveDescriptionAsync() => await ChangeAsync(
        actor => SetDescription.ExecuteAsync(actor, Serial, _description), _ => "Description saved.");

    private async Task SetActiveAsync(bool active) => await ChangeAsync(
        actor => SetActive.ExecuteAsync(actor, Serial, active), t => t.Active ? $"Token {t.Serial} is enabled." : $"Token {t.Serial} is disabled.");

    private async Task ChangeAsync(Func<Actor, Task<Result<TokenView>>> change, Func<TokenView, string> success)
    {
        _busy = true;
        try
        {
            var result = await change(_actor!);
            Snackbar.ShowOutcome(result, success);
            // Reload in either case: a refusal may come from a change made meanwhile, which the page should then show.
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RevokeAsync()
    {
        if (await RevokeTokenDialog.ShowAsync(Dialogs, _token!))
        {
            await LoadAsync();
        }
    }

    private async Task DeleteAsync()
    {
        if (await DeleteTokenDialog.ShowAsync(Dialogs, _token!))
        {
            Navigation.NavigateTo(BackHref);
        }
    }

    private Task CopyPemAsync() =>
        JS.CopyWithNoticeAsync(Snackbar, _token!.CertificatePem!, "The PEM certificate is copied.", "the text");

    private static string ModeText(string mode) => mode switch
    {
        EnrolmentModes.Request => "CSR upload (the key stays with its owner)",
        EnrolmentModes.GenerateKey => "key generated on the server",
        EnrolmentModes.Certificate => "certificate upload",
        _ => mode,
    };

    private static string OutcomeText(TokenView token) => token.RolloutState switch
    {
        RolloutState.Pending when token.EnrolmentMode == EnrolmentModes.Certificate => "The uploaded certificate waits for an approver's decision.",
        RolloutState.Pending => "The request waits for the CA's decision.",
        RolloutState.Denied => "The CA refused the request.",
        RolloutState.Failed => "The enrolment failed at the CA.",
        _ => "",
    };
}
