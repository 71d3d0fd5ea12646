namespace CertTokenPortal.Components.Shared;

/// <summary>
/// The checks a dialog runs under each field before Core is asked, so every mistake shows at once beside its field.
/// Core checks again and stays the authority; these only spare a round trip for what is plainly wrong.
/// </summary>
public static class FieldRules
{
    /// <summary>"Enter the {what}." when the field is empty.</summary>
    public static Func<string?, string?> Required(string what) =>
        value => string.IsNullOrWhiteSpace(value) ? $"Enter {what}." : null;

    /// <summary>
    /// A whole number from <paramref name="min"/> to <paramref name="max"/>. A number out of range is refused with the
    /// range, never moved into it: a validity of 0 days is a mistake to point out, not "1 day".
    /// </summary>
    public static Func<int?, string?> Range(int min, int max, string unit) =>
        value => value is null ? $"Enter a number of {unit} from {min} to {max}."
            : value < min || value > max ? $"{value} is out of range: enter {min} to {max} {unit}."
            : null;
}
