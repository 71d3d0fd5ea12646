using System.Globalization;
using System.Text.RegularExpressions;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Core.Policies;

/// <summary>
/// The <c>key_rules</c> action: which key types and sizes a certificate request may use, on top of the portal's own
/// floor (RSA 2048, the curves the CSR parser accepts). Written like <c>rsa&gt;=3072 ec:P-256,P-384</c>: a key is
/// allowed when one of the space-separated rules admits it; a type not named is not allowed.
/// </summary>
public sealed partial record KeyRules(int? MinRsaBits, IReadOnlyList<string>? EcCurves)
{
    private const int MaxRsaBits = 16384;
    private static readonly string[] KnownCurves = ["P-256", "P-384", "P-521"];

    public bool AllowsRsa => MinRsaBits is not null;
    public bool AllowsEc => EcCurves is not null;

    public static Result<KeyRules> Parse(string? text)
    {
        int? minRsa = null;
        List<string>? curves = null;
        var items = (text ?? "").Split([' ', '\t', ';'], StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0)
        {
            return Invalid(text, "it names no key type");
        }
        foreach (var item in items)
        {
            var rsa = RsaRule().Match(item);
            if (rsa.Success)
            {
                if (minRsa is not null)
                {
                    return Invalid(text, "rsa appears twice");
                }
                if (!rsa.Groups[1].Success)
                {
                    minRsa = CsrParser.MinRsaBits;
                    continue;
                }
                if (!int.TryParse(rsa.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) || bits > MaxRsaBits)
                {
                    return Invalid(text, $"'{item}' is not a key size this portal knows");
                }
                if (bits < CsrParser.MinRsaBits)
                {
                    return Invalid(text, $"'{item}' is below the portal's floor of {CsrParser.MinRsaBits} bits, which always applies");
                }
                minRsa = bits;
                continue;
            }
            var ec = EcRule().Match(item);
            if (ec.Success)
            {
                if (curves is not null)
                {
                    return Invalid(text, "ec appears twice");
                }
                curves = [];
                if (ec.Groups[1].Success)
                {
                    foreach (var name in ec.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var known = KnownCurves.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
                        if (known is null)
                        {
                            return Invalid(text, $"'{name}' is not a curve this portal accepts (P-256, P-384, P-521)");
                        }
                        curves.Add(known);
                    }
                }
                continue;
            }
            return Invalid(text, $"'{item}' is not understood");
        }
        return new KeyRules(minRsa, curves);
    }

    /// <summary>Whether a key of this algorithm, size (RSA bits) and curve (EC) is allowed.</summary>
    public bool Allows(KeyAlgorithmKind algorithm, int rsaBits, string? curve) => algorithm switch
    {
        KeyAlgorithmKind.Rsa => MinRsaBits is { } min && rsaBits >= min,
        KeyAlgorithmKind.Ec => EcCurves is { } allowed && (allowed.Count == 0 || allowed.Contains(curve ?? "", StringComparer.OrdinalIgnoreCase)),
        _ => false,
    };

    /// <summary>"RSA of at least 3072 bits or EC on P-256, P-384".</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (MinRsaBits is { } bits)
        {
            parts.Add($"RSA of at least {bits} bits");
        }
        if (EcCurves is { } curves)
        {
            parts.Add(curves.Count == 0 ? "EC on any accepted curve" : $"EC on {string.Join(", ", curves)}");
        }
        return string.Join(" or ", parts);
    }

    /// <summary>The canonical text, e.g. <c>rsa&gt;=3072 ec:P-256,P-384</c>.</summary>
    public override string ToString() => string.Join(" ", new[]
    {
        MinRsaBits is { } bits ? $"rsa>={bits}" : null,
        EcCurves is { } curves ? (curves.Count == 0 ? "ec" : $"ec:{string.Join(",", curves)}") : null,
    }.Where(p => p is not null));

    private static PortalError Invalid(string? text, string why) =>
        PortalError.Validation($"key_rules '{text}' cannot be read: {why}. Write it like 'rsa>=3072 ec:P-256,P-384'.");

    [GeneratedRegex(@"^rsa(?:(?:>=|:)(\d+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex RsaRule();

    [GeneratedRegex(@"^ec(?::([A-Za-z0-9,-]+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex EcRule();
}
