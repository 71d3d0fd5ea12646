using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.Policies;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.Policies;

/// <summary>
/// Creates or edits a policy. Core checks everything (syntax, contradictions, the CAs and templates named); a
/// refusal keeps the dialog open with Core's message, so nothing typed is lost.
/// </summary>
public partial class PolicyDialog
{
    private string? _name;
    private int? _priority = 1;
    private string? _action;
    private string? _realms;
    private bool _active = true;
    private readonly HashSet<string> _roles = [];
    private string? _problem;
    private bool _busy;
    private MudForm _form = default!;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    /// <summary>The policy to edit; null for a new one.</summary>
    [Parameter] public PolicyView? Existing { get; set; }

    [Inject] private SetPolicyCommand Set { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override void OnInitialized()
    {
        if (Existing is { } p)
        {
            _name = p.Name;
            _priority = p.Priority;
            _action = p.Action;
            _realms = string.Join(", ", p.Realms);
            _active = p.Active;
            _roles.UnionWith(p.Roles);
        }
    }

    private void ToggleRole(string role, bool on)
    {
        if (on)
        {
            _roles.Add(role);
        }
        else
        {
            _roles.Remove(role);
        }
    }

    private void Cancel() => Dialog.Cancel();

    private async Task SubmitAsync()
    {
        await _form.ValidateAsync();
        if (!_form.IsValid)
        {
            return;
        }
        _busy = true;
        try
        {
            var request = new PolicyRequest(_name?.Trim() ?? "", _action)
            {
                Priority = _priority!.Value,
                Realms = _realms,
                Roles = string.Join(",", _roles),
                Active = _active,
            };
            var result = await Set.ExecuteAsync(await Session.GetActorAsync(), request);
            if (result.TryGetValue(out var policy, out var error))
            {
                Snackbar.ShowSuccess($"Policy {policy.Name} saved.");
                Dialog.Close(DialogResult.Ok(policy));
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
