using System.Text;
using System.Text.RegularExpressions;
using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Policies;

/// <summary>One entry of an action string: a key and its value, or a bare key (value null).</summary>
public sealed record PolicyActionEntry(string Key, string? Value)
{
    public override string ToString() => Value is null ? Key : $"{Key}={PolicyActionString.Quote(Value)}";
}

/// <summary>
/// Reads and writes privacyIDEA's action strings: comma-separated <c>key=value</c> or bare <c>key</c> entries.
/// </summary>
/// <remarks>
/// Some values hold commas themselves (<c>key_rules=rsa&gt;=3072 ec:P-256,P-384</c>). They may be quoted
/// (<c>'...'</c> or <c>"..."</c>); unquoted, a comma-separated piece that does not start like an action key
/// (<c>P-384</c>) continues the value before it, so the way people write these by hand is understood too.
/// </remarks>
public static partial class PolicyActionString
{
    public const int MaxLength = 2048;

    public static Result<IReadOnlyList<PolicyActionEntry>> Parse(string? action)
    {
        if (string.IsNullOrWhiteSpace(action))
        {
            return PortalError.Validation("The policy has no action; give at least one, e.g. 'max_token_per_user=2'.");
        }
        if (action.Length > MaxLength)
        {
            return PortalError.Validation($"The action is longer than {MaxLength} characters.");
        }
        if (!SplitOutsideQuotes(action).TryGetValue(out var pieces, out var splitError))
        {
            return splitError;
        }

        var segments = new List<string>();
        foreach (var piece in pieces.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            if (StartsLikeKey().IsMatch(piece))
            {
                segments.Add(piece.Trim());
            }
            else if (segments.Count > 0)
            {
                segments[^1] += "," + piece.Trim();
            }
            else
            {
                return PortalError.Validation($"The action must start with an action key, not '{piece.Trim()}'.");
            }
        }

        var entries = new List<PolicyActionEntry>();
        foreach (var segment in segments)
        {
            var equals = segment.IndexOf('=');
            var key = PolicyActionKeys.Canonical((equals < 0 ? segment : segment[..equals]).Trim().ToLowerInvariant());
            var value = equals < 0 ? null : Unquote(segment[(equals + 1)..].Trim());
            if (entries.Any(e => e.Key == key))
            {
                return PortalError.Validation($"The action '{key}' is given twice.");
            }
            entries.Add(new PolicyActionEntry(key, value));
        }
        return entries.Count == 0
            ? PortalError.Validation("The policy has no action; give at least one, e.g. 'max_token_per_user=2'.")
            : entries;
    }

    /// <summary>The canonical form: entries separated by ", ", values with a comma quoted.</summary>
    public static string Write(IEnumerable<PolicyActionEntry> entries) => string.Join(", ", entries);

    internal static string Quote(string value) => value.Contains(',') ? $"'{value}'" : value;

    private static Result<List<string>> SplitOutsideQuotes(string action)
    {
        var pieces = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        foreach (var c in action)
        {
            if (quote is null && c == ',')
            {
                pieces.Add(current.ToString());
                current.Clear();
                continue;
            }
            if (c is '\'' or '"')
            {
                quote = quote is null ? c : quote == c ? null : quote;
            }
            current.Append(c);
        }
        if (quote is not null)
        {
            return PortalError.Validation($"A quote ({quote}) in the action is not closed.");
        }
        pieces.Add(current.ToString());
        return pieces;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] is '\'' or '"') && value[^1] == value[0] ? value[1..^1].Trim() : value;

    [GeneratedRegex(@"^\s*[A-Za-z_][A-Za-z0-9_]*\s*(=|$)")]
    private static partial Regex StartsLikeKey();
}
