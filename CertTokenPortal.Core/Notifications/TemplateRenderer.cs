using System.Net;
using System.Text.RegularExpressions;

namespace CertTokenPortal.Core.Notifications;

/// <summary>A rendered notification: what goes into one e-mail.</summary>
public sealed record RenderedMail(string Subject, string TextBody, string HtmlBody);

/// <summary>
/// Fills <c>{{placeholder}}</c> marks and nothing else: no expressions, loops or code, so a template an admin writes
/// can never run anything. Values are HTML-encoded in the HTML body; the subject loses line breaks (header injection).
/// </summary>
public static partial class TemplateRenderer
{
    [GeneratedRegex(@"\{\{\s*([a-z_]+)\s*\}\}")]
    private static partial Regex Mark();

    public static RenderedMail Render(NotificationTemplate template, IReadOnlyDictionary<string, string> values)
    {
        var subject = Fill(template.Subject, values, v => v).ReplaceLineEndings(" ");
        return new RenderedMail(
            subject.Length > NotificationTemplate.MaxSubjectLength ? subject[..NotificationTemplate.MaxSubjectLength] : subject,
            Fill(template.TextBody, values, v => v),
            Fill(template.HtmlBody, values, WebUtility.HtmlEncode));
    }

    /// <summary>The placeholders used in <paramref name="text"/> that the portal does not know.</summary>
    public static IReadOnlyList<string> UnknownPlaceholders(string text) =>
        Mark().Matches(text).Select(m => m.Groups[1].Value).Where(n => !Placeholders.All.Contains(n)).Distinct().ToList();

    private static string Fill(string text, IReadOnlyDictionary<string, string> values, Func<string, string> encode) =>
        Mark().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? encode(value) : "");
}
