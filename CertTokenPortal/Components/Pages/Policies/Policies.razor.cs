using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Policies;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.Policies;

/// <summary>
/// The policy list: admins and helpdesk see it; only <see cref="Permission.ManagePolicies"/> gets the buttons. The
/// buttons are a convenience: the Core use cases enforce the same rules.
/// </summary>
public partial class Policies
{
    private IReadOnlyList<PolicyView>? _policies;
    private string? _loadError;
    private Actor? _actor;

    [Inject] private ListPoliciesQuery List { get; set; } = default!;
    [Inject] private DeletePolicyCommand Delete { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    private bool CanManage => _actor?.Allows(Permission.ManagePolicies) == true;

    protected override async Task OnInitializedAsync()
    {
        _actor = await Session.GetActorAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var result = await List.ExecuteAsync(_actor!);
        if (result.TryGetValue(out var policies, out var error))
        {
            _policies = policies;
            _loadError = null;
        }
        else
        {
            _loadError = error.Message;
            Snackbar.ShowError(error);
        }
    }

    private Task CreateAsync() => OpenEditorAsync(null, "New policy");

    private Task EditAsync(PolicyView policy) => OpenEditorAsync(policy, $"Policy {policy.Name}");

    private async Task OpenEditorAsync(PolicyView? existing, string title)
    {
        var parameters = new DialogParameters<PolicyDialog> { { d => d.Existing, existing } };
        var dialog = await Dialogs.ShowAsync<PolicyDialog>(title, parameters,
            PortalDialogOptions.Form(MaxWidth.Medium));
        // The dialog saves through Core itself (so that a refusal keeps it open with what was typed).
        if (await dialog.Result is { Canceled: false })
        {
            await LoadAsync();
        }
    }

    private async Task DeleteAsync(PolicyView policy)
    {
        if (!await ConfirmDialog.AskAsync(Dialogs, "Delete policy",
                $"Delete the policy '{policy.Name}'? Enrolments will no longer follow it."))
        {
            return;
        }
        var result = await Delete.ExecuteAsync(_actor!, policy.Name);
        Snackbar.ShowOutcome(result, $"Policy {policy.Name} deleted.");
        await LoadAsync();
    }
}
