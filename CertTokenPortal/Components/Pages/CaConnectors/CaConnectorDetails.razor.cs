using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using CertTokenPortal.Core.CaConnectors.Templates;

namespace CertTokenPortal.Components.Pages.CaConnectors;

/// <summary>
/// One CA connector: its certificate and chain, its CRL (publish now), downloads from the public URLs, and its
/// templates (admins edit them). Helpdesk staff see the same page without the buttons.
/// </summary>
public partial class CaConnectorDetails
{
    private Actor? _actor;
    private CaDetails? _details;
    private string? _loadError;
    private CrlStatus? _crl;
    private string? _crlProblem;
    private bool _publishing;

    [Parameter] public string Name { get; set; } = "";

    [Inject] private GetCaDetailsQuery CaDetails { get; set; } = default!;
    [Inject] private GetCrlStatusQuery CrlStatus { get; set; } = default!;
    [Inject] private PublishCrlCommand PublishCrl { get; set; } = default!;
    [Inject] private DeleteTemplateCommand DeleteTemplate { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    /// <summary>The page of a CA, for links from elsewhere.</summary>
    public static string UrlOf(string caName) => $"cas/{Uri.EscapeDataString(caName)}";

    private bool CanManage => _actor?.Allows(Permission.ManageCaConnectors) == true;

    protected override async Task OnParametersSetAsync()
    {
        _actor ??= await Session.GetActorAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var details = await CaDetails.ExecuteAsync(_actor!, Name);
        if (!details.TryGetValue(out var value, out var error))
        {
            (_details, _loadError) = (null, error.Message);
            return;
        }
        (_details, _loadError) = (value, null);
        var crl = await CrlStatus.ExecuteAsync(_actor!, Name);
        // No CRL yet, or a connector kind without CRLs: said in the CRL card, not as a page error.
        if (crl.TryGetValue(out var status, out var crlError))
        {
            (_crl, _crlProblem) = (status, null);
        }
        else
        {
            (_crl, _crlProblem) = (null, crlError.Message);
        }
    }

    private bool IsDefault(TemplateInfo template) =>
        string.Equals(_details?.DefaultTemplate, template.Name, StringComparison.OrdinalIgnoreCase);

    private static string List(IReadOnlyList<string> names) => names.Count == 0 ? "—" : string.Join(", ", names);

    private async Task PublishCrlAsync()
    {
        _publishing = true;
        try
        {
            var result = await PublishCrl.ExecuteAsync(_actor!, Name);
            if (Snackbar.ShowOutcome(result, crl => $"CRL number {crl.Number} published."))
            {
                (_crl, _crlProblem) = (result.Value, null);
            }
        }
        finally
        {
            _publishing = false;
        }
    }

    private async Task EditTemplateAsync(TemplateInfo? template)
    {
        var parameters = new DialogParameters<TemplateDialog>
        {
            { d => d.CaName, Name },
            { d => d.Existing, template },
            { d => d.IsDefault, template is not null && IsDefault(template) },
        };
        var title = template is null ? $"New template on {Name}" : $"Template {template.Name}";
        var dialog = await Dialogs.ShowAsync<TemplateDialog>(title, parameters,
            PortalDialogOptions.Form());
        if (await dialog.Result is { Canceled: false })
        {
            await LoadAsync();
        }
    }

    private async Task DeleteTemplateAsync(TemplateInfo template)
    {
        if (!await ConfirmDialog.AskAsync(Dialogs, $"Delete template {template.Name}?",
                $"Requests to {Name} can no longer name the template '{template.Name}'. Certificates issued with it stay valid."))
        {
            return;
        }
        var result = await DeleteTemplate.ExecuteAsync(_actor!, Name, template.Name);
        if (Snackbar.ShowOutcome(result, $"Template {template.Name} deleted."))
        {
            await LoadAsync();
        }
    }
}
