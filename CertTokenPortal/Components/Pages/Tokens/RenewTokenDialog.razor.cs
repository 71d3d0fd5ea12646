using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Renewal;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.Tokens;

/// <summary>
/// Renews a token: same key, a new CSR or a new server key. Shows the renewal window and the template's rule before
/// anything is sent; Core decides again on submit, and a refusal stays in the dialog beside the fields. A new server
/// key's PKCS#12 and one-time password are shown here once.
/// </summary>
public partial class RenewTokenDialog
{
    private static readonly (string Value, string Label)[] KeyChoices =
        [("ec:P-256", "EC P-256"), ("ec:P-384", "EC P-384"), ("rsa:2048", "RSA 2048"), ("rsa:3072", "RSA 3072"), ("rsa:4096", "RSA 4096")];

    private RenewalOptions? _options;
    private RenewalMode _mode = RenewalMode.SameKey;
    private string? _csr;
    private string _key = "ec:P-256";
    private string? _pin;
    private string? _pinConfirmation;
    private string? _problem;
    private RenewalResult? _result;
    private bool _busy;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    [Parameter, EditorRequired] public TokenView Token { get; set; } = default!;

    [Inject] private RenewalOptionsQuery Options { get; set; } = default!;
    [Inject] private RenewTokenCommand Renew { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>Opens the dialog; true when the token was renewed (or the renewal waits), so the caller reloads it.</summary>
    public static async Task<bool> ShowAsync(IDialogService dialogs, TokenView token)
    {
        var parameters = new DialogParameters<RenewTokenDialog> { { d => d.Token, token } };
        var dialog = await dialogs.ShowAsync<RenewTokenDialog>($"Renew {token.Serial}", parameters, PortalDialogOptions.Form());
        return await dialog.Result is { Canceled: false };
    }

    private bool CanSubmit => !_busy && _options is { Problem: null } && _options.OpenNow && _mode switch
    {
        RenewalMode.SameKey => _options.SameKeyAllowed,
        RenewalMode.NewCsr => !string.IsNullOrWhiteSpace(_csr),
        _ => _options.NewKeyAllowed && (string.IsNullOrEmpty(_pin) || _pin == _pinConfirmation),
    };

    private string WindowText => _options switch
    {
        null => "",
        { WindowApplies: false } => $"Staff may renew at any time. The certificate expires on {Day(_options.NotAfter)}.",
        { OpenNow: true } => $"Renewal is open: the certificate expires on {Day(_options.NotAfter)}.",
        _ => $"Renewal opens on {Day(_options.WindowOpensAt)}; the certificate expires on {Day(_options.NotAfter)}. Ask the helpdesk to renew it earlier.",
    };

    protected override async Task OnInitializedAsync()
    {
        var options = await Options.ExecuteAsync(await Session.GetActorAsync(), Token.Serial);
        if (!options.TryGetValue(out var value, out var error))
        {
            Snackbar.ShowError(error);
            Dialog.Cancel();
            return;
        }
        _options = value;
        _mode = value.SameKeyAllowed ? RenewalMode.SameKey : RenewalMode.NewCsr;
    }

    private async Task RenewAsync()
    {
        if (!CanSubmit)
        {
            return;
        }
        _busy = true;
        _problem = null;
        try
        {
            var (keyType, size) = _key.Split(':') is [var type, var spec] ? (type, spec) : ("ec", "P-256");
            var request = new RenewalRequest(Token.Serial)
            {
                Csr = _mode == RenewalMode.NewCsr ? _csr : null,
                GenerateKey = _mode == RenewalMode.NewKey,
                KeyType = _mode == RenewalMode.NewKey ? keyType : null,
                KeySize = keyType == "rsa" ? size : null,
                Curve = keyType == "ec" ? size : null,
                Pin = _mode == RenewalMode.NewKey && !string.IsNullOrEmpty(_pin) ? _pin : null,
            };
            var result = await Renew.ExecuteAsync(await Session.GetActorAsync(), request);
            if (!result.TryGetValue(out var renewed, out var error))
            {
                _problem = error.Message;
                return;
            }
            Snackbar.ShowSuccess(renewed.State == "pending"
                ? $"The renewal of {renewed.Token.Serial} waits for approval (request {renewed.RequestId}); the token keeps its certificate until then."
                : $"Token {renewed.Token.Serial} is renewed: certificate {renewed.Token.CertificateSerial}.");
            if (renewed.Pkcs12 is null)
            {
                Dialog.Close(DialogResult.Ok(true));
                return;
            }
            _result = renewed; // stays open: the PKCS#12 and its password exist only in this answer
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task DownloadAsync()
    {
        using var content = new MemoryStream(_result!.Pkcs12!, writable: false);
        await JS.SaveFileAsync($"{_result.Token.Serial}.p12", "application/x-pkcs12", content);
    }

    private Task CopyPasswordAsync() =>
        JS.CopyWithNoticeAsync(Snackbar, _result!.Pkcs12Password!, "The password is copied.", "the password");

    private void Cancel() => Dialog.Cancel();

    private void Close() => Dialog.Close(DialogResult.Ok(true));

    private static string Day(DateTime? value) => value?.ToString("yyyy-MM-dd") ?? "an unknown date";
}
