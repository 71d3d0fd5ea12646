using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Policies;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.Policies;

/// <summary>
/// Creates or edits a policy. Each action is a field of its kind (switch, number, CA or template choice, text) with
/// its help, checked by Core's own parser as it is typed; experts may switch to privacyIDEA's free-text form and back.
/// Core checks everything again on save (syntax, contradictions, the CAs and templates named); a refusal stays in the
/// dialog under the field it is about, so nothing typed is lost.
/// </summary>
public partial class PolicyDialog
{
    private string? _name;
    private int? _priority = 1;
    private string? _action;
    private string? _realms;
    private bool _active = true;
    private bool _freeText;
    private bool _submitted;
    private readonly HashSet<string> _roles = [];
    /// <summary>The actions the structured form holds, in the order they were added, each with its text.</summary>
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, string?> _values = [];
    private IReadOnlyList<CaConnectorInfo> _cas = [];
    private bool _busy;
    private MudForm _form = default!;
    private readonly CoreFieldProblems _problems;

    public PolicyDialog() =>
        _problems = new CoreFieldProblems(field => field switch
        {
            "name" => _name,
            "priority" => _priority,
            "realms" => _realms,
            "action" => _freeText ? _action : null,
            _ => _values.GetValueOrDefault(field),
        }, ["name", "priority", "realms", "roles", "action", .. PolicyActionKeys.All]);

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    /// <summary>The policy to edit; null for a new one.</summary>
    [Parameter] public PolicyView? Existing { get; set; }

    [Inject] private SetPolicyCommand Set { get; set; } = default!;
    [Inject] private ListCaConnectorsQuery CaConnectors { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private string? ChosenCa => _keys.Contains(PolicyActionKeys.CaConnector) ? _values[PolicyActionKeys.CaConnector] : null;

    protected override async Task OnInitializedAsync()
    {
        if (Existing is { } p)
        {
            _name = p.Name;
            _priority = p.Priority;
            _action = p.Action;
            _realms = string.Join(", ", p.Realms);
            _active = p.Active;
            _roles.UnionWith(p.Roles);
            // A stored action the form cannot show field by field stays in the text form.
            _freeText = !TryLoadFields(p.Action);
        }
        var cas = await CaConnectors.ExecuteAsync(await Session.GetActorAsync());
        _cas = cas.IsSuccess ? cas.Value : [];
    }

    private static string? Check(string key, string? value) => PolicyActionFields.Check(key, value)?.Message;

    private bool TryLoadFields(string? action)
    {
        if (!PolicyActionFields.Read(action).TryGetValue(out var entries, out _) ||
            entries.Any(e => !PolicyActionKeys.All.Contains(e.Key)))
        {
            return false;
        }
        _keys.Clear();
        _values.Clear();
        foreach (var entry in entries)
        {
            _keys.Add(entry.Key);
            // A bare switch key means true, as in privacyIDEA.
            _values[entry.Key] = entry.Value ?? (PolicyActionFields.Of(entry.Key).Input == PolicyActionInput.Switch ? "true" : null);
        }
        return true;
    }

    private string StructuredAction() =>
        PolicyActionFields.Write(_keys.Select(k => new PolicyActionEntry(k, _values.GetValueOrDefault(k) ?? "")));

    private void SetFreeText(bool on)
    {
        _problems.Clear();
        if (on)
        {
            _action = _keys.Count > 0 ? StructuredAction() : _action;
            _freeText = true;
        }
        else if (TryLoadFields(_action))
        {
            _freeText = false;
        }
        else
        {
            // Stay with the text, and say why it has no fields.
            _problems.Show((PolicyActions.Parse(_action).Error ?? Core.Common.PortalError.Validation("This action cannot be shown as fields."))
                .About("action"));
            _ = _form.ValidateAsync();
        }
    }

    private void Add(string? key)
    {
        if (key is null || _keys.Contains(key))
        {
            return;
        }
        _problems.Clear();
        _keys.Add(key);
        var input = PolicyActionFields.Of(key).Input;
        _values[key] = input switch
        {
            PolicyActionInput.Switch => "true",
            PolicyActionInput.Choice or PolicyActionInput.Ca when ChoicesOf(key) is [var only] => only,
            _ => null,
        };
    }

    private IReadOnlyList<string> ChoicesOf(string key) =>
        PolicyActionFields.Of(key).Input == PolicyActionInput.Ca ? _cas.Select(c => c.Name).ToList() : PolicyActionFields.Of(key).Choices;

    private void Remove(string key)
    {
        _problems.Clear();
        _keys.Remove(key);
        _values.Remove(key);
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
        _submitted = true;
        _problems.Clear();
        await _form.ValidateAsync();
        if (!_form.IsValid || (!_freeText && _keys.Any(k => Check(k, _values.GetValueOrDefault(k)) is not null)))
        {
            return;
        }
        _busy = true;
        try
        {
            var request = new PolicyRequest(_name?.Trim() ?? "", _freeText ? _action : StructuredAction())
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
            // In the text form every action's refusal belongs under the one action field.
            _problems.Show(_freeText && error.Field is { } field && PolicyActionKeys.All.Contains(field) ? error.About("action") : error);
            if (_problems.ShowsUnderField)
            {
                await _form.ValidateAsync();
            }
        }
        finally
        {
            _busy = false;
        }
    }
}
