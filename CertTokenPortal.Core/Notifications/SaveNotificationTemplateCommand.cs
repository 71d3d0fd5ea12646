using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Notifications;

/// <summary>A template as an admin edits it; <see cref="Reset"/> goes back to the built-in text.</summary>
public sealed record NotificationTemplateInput(NotificationKind Kind, string? Subject, string? TextBody, string? HtmlBody, bool Reset = false);

/// <summary>Saves (or resets) the subject and bodies of one notification, refusing placeholders the portal does not fill.</summary>
public sealed class SaveNotificationTemplateCommand(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, UseCaseGuard guard, TimeProvider clock)
{
    public async Task<Result> ExecuteAsync(Actor actor, NotificationTemplateInput input, CancellationToken ct = default) =>
        await guard.RunAsync(actor, Permission.ManageNotifications, NotificationErrors.NotAllowed,
            refusal => AuditEvent.Failed(AuditActions.NotificationTemplate, $"Template {input.Kind} not saved: {refusal.Message}"),
            () => SaveAsync(actor, input, ct), ct);

    private async Task<Result> SaveAsync(Actor actor, NotificationTemplateInput input, CancellationToken ct)
    {
        var subject = input.Subject?.Trim() ?? "";
        var text = input.TextBody ?? "";
        var html = input.HtmlBody ?? "";
        if (!input.Reset)
        {
            if (subject.Length == 0)
            {
                return NotificationErrors.EmptySubject;
            }
            if (subject.Length > NotificationTemplate.MaxSubjectLength || text.Length > NotificationTemplate.MaxBodyLength || html.Length > NotificationTemplate.MaxBodyLength)
            {
                return NotificationErrors.TemplateTooLong;
            }
            var unknown = new[] { subject, text, html }.SelectMany(TemplateRenderer.UnknownPlaceholders).Distinct().ToList();
            if (unknown.Count > 0)
            {
                return NotificationErrors.UnknownPlaceholders(unknown);
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.NotificationTemplates.FirstOrDefaultAsync(t => t.Kind == input.Kind, ct);
        if (input.Reset)
        {
            if (row is not null)
            {
                db.NotificationTemplates.Remove(row);
            }
        }
        else
        {
            if (row is null)
            {
                row = new NotificationTemplate { Kind = input.Kind };
                db.NotificationTemplates.Add(row);
            }
            row.Subject = subject;
            row.TextBody = text;
            row.HtmlBody = html;
            row.UpdatedBy = actor.UserName;
            row.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        }
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.NotificationTemplate,
            input.Reset ? $"Template {input.Kind} reset to the built-in text." : $"Template {input.Kind} saved: \"{subject}\"."));
        await db.SaveChangesAsync(ct);
        return Result.Success();
    }
}
