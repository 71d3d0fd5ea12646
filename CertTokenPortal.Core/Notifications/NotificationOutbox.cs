using CertTokenPortal.Core.Configuration;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Notifications;

/// <summary>
/// Writes notifications into the outbox of the caller's context, unsaved, so that they commit with the event they
/// tell of (or vanish with its rollback). Nothing is sent here; <see cref="OutboxDispatcher"/> sends.
/// </summary>
public sealed class NotificationOutbox(MailSettingsStore settings, IOptions<PortalOptions> portal, TimeProvider clock)
{
    public string BaseUrl => portal.Value.PublicBaseUrl.TrimEnd('/');

    /// <summary>
    /// Adds one message per recipient (duplicate addresses once), from the kind's template filled with
    /// <paramref name="values"/> plus the recipient's name and the portal's address. Writes nothing while mail is off.
    /// </summary>
    public async Task<int> AddAsync(PortalDbContext db, NotificationKind kind, IEnumerable<MailRecipient> recipients,
        IReadOnlyDictionary<string, string> values, string? serial, CancellationToken ct)
    {
        if (!(await settings.GetAsync(db, ct)).CanSend)
        {
            return 0;
        }
        var template = await db.NotificationTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Kind == kind, ct)
                       ?? DefaultNotificationTemplates.For(kind);
        var now = clock.GetUtcNow().UtcDateTime;
        var added = 0;
        foreach (var recipient in recipients.DistinctBy(r => r.Address.ToUpperInvariant()))
        {
            var filled = new Dictionary<string, string>(values)
            {
                [Placeholders.Recipient] = recipient.UserName,
                [Placeholders.PortalUrl] = BaseUrl,
            };
            var mail = TemplateRenderer.Render(template, filled);
            db.OutboxMessages.Add(new OutboxMessage
            {
                Kind = kind, Recipient = recipient.Address, Subject = mail.Subject, TextBody = mail.TextBody, HtmlBody = mail.HtmlBody,
                Serial = serial, State = OutboxState.Pending, CreatedAt = now, NextAttemptAt = now,
            });
            added++;
        }
        return added;
    }

    /// <summary>The token page's address, where the owner downloads, renews and sees the history.</summary>
    public string TokenUrl(string serial) => $"{BaseUrl}/tokens/{Uri.EscapeDataString(serial)}";

    public static string FormatTime(DateTime? utc) => utc is null ? "" : utc.Value.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
