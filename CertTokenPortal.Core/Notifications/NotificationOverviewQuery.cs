using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Notifications;

/// <summary>The SMTP settings as the page shows them: never the password, only whether one is set.</summary>
public sealed record MailSettingsView(
    bool Enabled, string Host, int Port, MailSecurity Security, string UserName, bool PasswordSet, string From,
    string ServerCertificateSha256, string ExpiryWarningDays, bool FromDatabase);

/// <summary>One template with whether an admin changed it.</summary>
public sealed record NotificationTemplateView(NotificationKind Kind, string Subject, string TextBody, string HtmlBody, bool Custom);

/// <summary>One outbox row for the page (bodies left out).</summary>
public sealed record OutboxMessageView(
    long Id, NotificationKind Kind, string Recipient, string Subject, string? Serial, OutboxState State, int Attempts,
    DateTime CreatedAt, DateTime NextAttemptAt, DateTime? SentAt, string? LastError);

public sealed record NotificationOverview(
    MailSettingsView Settings, IReadOnlyList<NotificationTemplateView> Templates, IReadOnlyList<OutboxMessageView> Outbox,
    int PendingCount, int FailedCount, int SentCount);

/// <summary>What the Notifications page shows: settings, templates and the outbox (failures and waiting mail first).</summary>
public sealed class NotificationOverviewQuery(IDbContextFactory<PortalDbContext> dbFactory, MailSettingsStore store)
{
    public const int OutboxRows = 100;

    public async Task<Result<NotificationOverview>> ExecuteAsync(Actor actor, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ManageNotifications))
        {
            return NotificationErrors.NotAllowed;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await store.GetAsync(db, ct);
        var fromDatabase = await MailSettingsStore.IsOverriddenAsync(db, ct);
        var custom = await db.NotificationTemplates.AsNoTracking().ToDictionaryAsync(t => t.Kind, ct);
        var templates = Enum.GetValues<NotificationKind>()
            .Select(k => custom.TryGetValue(k, out var t)
                ? new NotificationTemplateView(k, t.Subject, t.TextBody, t.HtmlBody, true)
                : ToView(DefaultNotificationTemplates.For(k)))
            .ToList();
        var counts = await db.OutboxMessages.GroupBy(m => m.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var outbox = await db.OutboxMessages.AsNoTracking()
            .OrderBy(m => m.State == OutboxState.Failed ? 0 : m.State == OutboxState.Pending ? 1 : 2).ThenByDescending(m => m.Id)
            .Take(OutboxRows)
            .Select(m => new OutboxMessageView(m.Id, m.Kind, m.Recipient, m.Subject, m.Serial, m.State, m.Attempts, m.CreatedAt, m.NextAttemptAt, m.SentAt, m.LastError))
            .ToListAsync(ct);
        return new NotificationOverview(
            new MailSettingsView(settings.Enabled, settings.Host, settings.Port, settings.Security, settings.UserName, settings.Password.Length > 0,
                settings.From, settings.ServerCertificateSha256, ExpiryDays.Format(settings.ExpiryWarningDays), fromDatabase),
            templates, outbox,
            counts.GetValueOrDefault(OutboxState.Pending), counts.GetValueOrDefault(OutboxState.Failed), counts.GetValueOrDefault(OutboxState.Sent));
    }

    private static NotificationTemplateView ToView(NotificationTemplate t) => new(t.Kind, t.Subject, t.TextBody, t.HtmlBody, false);
}
