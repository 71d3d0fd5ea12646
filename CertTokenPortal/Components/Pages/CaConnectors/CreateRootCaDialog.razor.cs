using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.CaConnectors.Administration;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using CertTokenPortal.Core.CaConnectors.Local.Administration;

namespace CertTokenPortal.Components.Pages.CaConnectors;

/// <summary>
/// Creates a local root CA. Stays open with Core's reason when it refuses, so nothing typed is lost; closes with
/// the new CA's name.
/// </summary>
public partial class CreateRootCaDialog
{
    /// <summary>The CA keys Core offers (RSA 2048 is too short-lived for a CA).</summary>
    private static readonly (string Value, string Label)[] KeyChoices =
    [
        ("rsa:3072", "RSA 3072"), ("rsa:4096", "RSA 4096"), ("ec:P-256", "EC P-256"), ("ec:P-384", "EC P-384"),
    ];

    private string? _name;
    private string? _subject;
    private string _key = KeyChoices[0].Value;
    private int? _validityDays = 3650;
    private int? _crlValidityDays = 7;
    private int? _crlOverlapDays = 2;
    private bool _busy;
    private string? _problem;
    private MudForm _form = default!;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject] private CreateLocalRootCaCommand Create { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private async Task SubmitAsync()
    {
        await _form.ValidateAsync();
        if (!_form.IsValid)
        {
            return;
        }
        _busy = true;
        // Let the busy button render before the key is generated (RSA 4096 takes seconds).
        await Task.Yield();
        try
        {
            var parts = _key.Split(':');
            var (type, size) = (parts[0], parts[1]);
            var request = new NewRootCaRequest(_name?.Trim() ?? "", _subject ?? "")
            {
                KeyType = type,
                KeySize = type == "rsa" ? size : null,
                Curve = type == "ec" ? size : null,
                ValidityDays = _validityDays!.Value,
                CrlValidityDays = _crlValidityDays!.Value,
                CrlOverlapDays = _crlOverlapDays!.Value,
            };
            var result = await Create.ExecuteAsync(await Session.GetActorAsync(), request);
            if (result.TryGetValue(out var ca, out var error))
            {
                Snackbar.ShowSuccess($"Root CA {ca.Name} created.");
                Dialog.Close(DialogResult.Ok(ca.Name));
                return;
            }
            _problem = error.Message;
        }
        finally
        {
            _busy = false;
        }
    }
}
