using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.Attestation;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.Policies;

/// <summary>The trusted attestation roots: listed for policy viewers, added and removed by policy managers.</summary>
public partial class AttestationRoots
{
    private IReadOnlyList<AttestationRootView>? _roots;
    private string? _loadError;

    [Parameter, EditorRequired] public Actor Actor { get; set; } = default!;

    [Inject] private ListAttestationRootsQuery ListRoots { get; set; } = default!;
    [Inject] private DeleteAttestationRootCommand DeleteRoot { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    private bool CanManage => Actor.Allows(Permission.ManagePolicies);

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        var result = await ListRoots.ExecuteAsync(Actor);
        _roots = result.IsSuccess ? result.Value : null;
        _loadError = result.Error?.Message;
    }

    private async Task AddAsync()
    {
        var dialog = await Dialogs.ShowAsync<AttestationRootDialog>("Trust an attestation root",
            PortalDialogOptions.Form(MaxWidth.Medium));
        if (await dialog.Result is { Canceled: false })
        {
            await LoadAsync();
        }
    }

    private async Task RemoveAsync(AttestationRootView root)
    {
        if (!await ConfirmDialog.AskAsync(Dialogs, "Remove attestation root",
                $"Stop trusting '{root.Name}' ({root.Subject})? Attestations chaining to it will fail from now on.", confirmText: "Remove"))
        {
            return;
        }
        var result = await DeleteRoot.ExecuteAsync(Actor, root.Name);
        Snackbar.ShowOutcome(result, $"Attestation root {root.Name} removed.");
        await LoadAsync();
    }
}
