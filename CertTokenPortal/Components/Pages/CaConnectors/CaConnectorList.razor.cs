using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.CaConnectors.Local;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.CaConnectors;

/// <summary>
/// The CA connectors: helpdesk and admins see them, admins create, import and delete. The buttons are a convenience;
/// the Core services enforce the same rules.
/// </summary>
public partial class CaConnectorList
{
    private Actor? _actor;
    private IReadOnlyList<CaSummary>? _cas;
    private string? _loadError;

    [Inject] private ListCaSummariesQuery CaSummaries { get; set; } = default!;
    [Inject] private DeleteCaCommand Delete { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private bool CanManage => _actor?.Allows(Permission.ManageCaConnectors) == true;

    protected override async Task OnInitializedAsync()
    {
        _actor = await Session.GetActorAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var result = await CaSummaries.ExecuteAsync(_actor!);
        if (result.TryGetValue(out var cas, out var error))
        {
            _cas = cas;
            _loadError = null;
        }
        else
        {
            _loadError = error.Message;
        }
    }

    private Task CreateAsync() => OpenAndFollowAsync<CreateRootCaDialog>("New root CA");

    private Task ImportAsync() => OpenAndFollowAsync<ImportCaDialog>("Import a CA");

    private Task CreateSubordinateAsync() => OpenAndFollowAsync<CreateRootCaDialog>("New subordinate CA",
        new DialogParameters<CreateRootCaDialog> { { d => d.Parents, LocalCas } });

    private Task CreateApprovalAsync() => OpenAndFollowAsync<CreateApprovalCaDialog>("New approval CA",
        new DialogParameters<CreateApprovalCaDialog> { { d => d.Signers, LocalCas } });

    /// <summary>The CAs whose key the portal holds: they can sign a subordinate CA or an approval CA's requests.</summary>
    private IReadOnlyList<string> LocalCas =>
        _cas?.Where(c => c.Type == LocalCaConnector.TypeName).Select(c => c.Name).ToList() ?? [];

    /// <summary>
    /// A new CA is shown on its page: a local one has no templates yet (they are added there), an approval CA's
    /// copied templates are checked there.
    /// </summary>
    private async Task OpenAndFollowAsync<TDialog>(string title, DialogParameters? parameters = null) where TDialog : IComponent
    {
        var dialog = await Dialogs.ShowAsync<TDialog>(title, parameters ?? [], PortalDialogOptions.Form());
        if (await dialog.Result is { Canceled: false, Data: string name })
        {
            Navigation.NavigateTo(CaConnectorDetails.UrlOf(name));
        }
    }

    private async Task DeleteAsync(CaSummary ca)
    {
        if (!await ConfirmDialog.AskAsync(Dialogs, $"Delete {ca.Name}?",
                $"The CA connector '{ca.Name}' ({ca.Subject ?? ca.Type}) and its key and templates will be gone for good."))
        {
            return;
        }
        var result = await Delete.ExecuteAsync(_actor!, ca.Name);
        if (Snackbar.ShowOutcome(result, $"CA connector {ca.Name} deleted."))
        {
            await LoadAsync();
        }
    }
}
