using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Components.Shared;

/// <summary>
/// Core's refusal of a form, shown where it belongs: under the field it is about (<see cref="PortalError.Field"/>)
/// for as long as that field still holds the refused value, otherwise once above the buttons (<see cref="Problem"/>).
/// The form's own rules run first, so a message is never shown twice.
/// </summary>
/// <param name="valueOf">The form's current value of a field, by Core's parameter name; null for a field the form does not have.</param>
public sealed class CoreFieldProblems(Func<string, object?> valueOf, params string[] fields)
{
    private PortalError? _error;
    private object? _refusedValue;

    /// <summary>Core's message when it is about no field of this form.</summary>
    public string? Problem => _error is not null && !ShowsUnderField ? _error.Message : null;

    /// <summary>Whether the current refusal is shown under a field (the form must validate again to show it).</summary>
    public bool ShowsUnderField => _error?.Field is { } name && fields.Contains(name);

    public void Show(PortalError error)
    {
        _error = error;
        _refusedValue = error.Field is { } name && fields.Contains(name) ? valueOf(name) : null;
    }

    public void Clear() => _error = null;

    /// <summary>Core's message about <paramref name="field"/>, for a field without validation of its own (a group of checkboxes).</summary>
    public string? For(string field) => _error is { } error && error.Field == field && fields.Contains(field) ? error.Message : null;

    /// <summary>The field's validation: <paramref name="own"/> first, then Core's refusal while the value is the refused one.</summary>
    public Func<T?, string?> Rule<T>(string field, Func<T?, string?>? own = null) => value =>
        own?.Invoke(value) ?? (_error is { } error && error.Field == field && Equals(value, _refusedValue) ? error.Message : null);
}
