using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace CertTokenPortal.Core.Notifications;

/// <summary>
/// Sends the test template at once (not through the outbox), so the admin sees the SMTP server's answer on the page.
/// </summary>
public sealed class SendTestMailCommand(
    IDbContextFactory<PortalDbContext> dbFactory, MailSettingsStore store, NotificationOutbox outbox, IMailTransport transport, IAuditLog audit, UseCaseGuard guard)
{
    public async Task<Result> ExecuteAsync(Actor actor, string? address, CancellationToken ct = default)
    {
        var result = await guard.RunAsync(actor, Permission.ManageNotifications, NotificationErrors.NotAllowed,
            refusal => AuditEvent.Failed(AuditActions.NotificationTest, $"Test mail to {address}: {refusal.Message}"),
            () => SendAsync(actor, address?.Trim() ?? "", ct), ct);
        if (result.IsSuccess)
        {
            await audit.RecordAsync(actor, AuditEvent.Succeeded(AuditActions.NotificationTest, $"Test mail sent to {address}."), ct);
        }
        return result;
    }

    private async Task<Result> SendAsync(Actor actor, string address, CancellationToken ct)
    {
        if (!MailboxAddress.TryParse(address, out _) || !address.Contains('@'))
        {
            return NotificationErrors.BadAddress("The recipient", address);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settings = await store.GetAsync(db, ct);
        if (!settings.CanSend)
        {
            return NotificationErrors.MailOff;
        }
        var template = await db.NotificationTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Kind == NotificationKind.TestMail, ct)
                       ?? DefaultNotificationTemplates.For(NotificationKind.TestMail);
        var mail = TemplateRenderer.Render(template, new Dictionary<string, string>
        {
            [Placeholders.Recipient] = address, [Placeholders.Actor] = actor.UserName, [Placeholders.PortalUrl] = outbox.BaseUrl,
        });
        try
        {
            await transport.SendAsync(settings, address, mail, ct);
            return Result.Success();
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return NotificationErrors.SendFailed(e is MailKit.Net.Smtp.SmtpCommandException smtp ? $"{(int)smtp.StatusCode} {smtp.Message}" : e.Message);
        }
    }
}
