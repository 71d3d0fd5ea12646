using System.Globalization;
using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Policies;

/// <summary>
/// The <c>pin_rules</c> action: what a PKCS#12 passphrase chosen by a person must meet, written like
/// <c>min=8 classes=3</c>. The classes are lower-case letters, upper-case letters, digits and everything else.
/// </summary>
public sealed record PinRules(int MinLength, int Classes)
{
    private const int MaxMinLength = 256;

    public static Result<PinRules> Parse(string? text)
    {
        int? min = null, classes = null;
        var items = (text ?? "").Split([' ', '\t', ';'], StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0)
        {
            return Invalid(text, "it names no rule");
        }
        foreach (var item in items)
        {
            var parts = item.Split('=', 2);
            var name = parts[0].Trim().ToLowerInvariant();
            if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return Invalid(text, $"'{item}' is not 'min=<number>' or 'classes=<number>'");
            }
            switch (name)
            {
                case "min" when min is null:
                    if (number is < 1 or > MaxMinLength)
                    {
                        return Invalid(text, $"min must be between 1 and {MaxMinLength}");
                    }
                    min = number;
                    break;
                case "classes" when classes is null:
                    if (number is < 1 or > 4)
                    {
                        return Invalid(text, "classes must be between 1 and 4 (lower case, upper case, digits, others)");
                    }
                    classes = number;
                    break;
                case "min" or "classes":
                    return Invalid(text, $"{name} appears twice");
                default:
                    return Invalid(text, $"'{name}' is not a rule; use min and classes");
            }
        }
        return new PinRules(min ?? 1, classes ?? 1);
    }

    /// <summary>Why <paramref name="pin"/> does not meet the rules, or null when it does.</summary>
    public string? Problem(string pin)
    {
        var length = pin.Length;
        var classes = CountClasses(pin);
        if (length >= MinLength && classes >= Classes)
        {
            return null;
        }
        return $"the passphrase needs {Describe()}; it has {length} character(s) from {classes} class(es)";
    }

    /// <summary>"at least 8 characters from at least 3 of: lower case, upper case, digits, others".</summary>
    public string Describe() =>
        $"at least {MinLength} character(s)" + (Classes > 1 ? $" from at least {Classes} of: lower case, upper case, digits, others" : "");

    public override string ToString() => $"min={MinLength} classes={Classes}";

    private static int CountClasses(string pin) =>
        (pin.Any(char.IsLower) ? 1 : 0) + (pin.Any(char.IsUpper) ? 1 : 0) + (pin.Any(char.IsDigit) ? 1 : 0) +
        (pin.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);

    private static PortalError Invalid(string? text, string why) =>
        PortalError.Validation($"pin_rules '{text}' cannot be read: {why}. Write it like 'min=8 classes=3'.");
}
