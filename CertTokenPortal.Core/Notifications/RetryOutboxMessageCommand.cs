using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Notifications;

/// <summary>Puts a failed mail back into the outbox (after the admin mended the SMTP settings), with fresh attempts.</summary>
public sealed class RetryOutboxMessageCommand(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, UseCaseGuard guard, TimeProvider clock)
{
    public async Task<Result> ExecuteAsync(Actor actor, long id, CancellationToken ct = default) =>
        await guard.RunAsync(actor, Permission.ManageNotifications, NotificationErrors.NotAllowed,
            refusal => AuditEvent.Failed(AuditActions.NotificationRetry, $"Retry of mail {id} refused: {refusal.Message}"),
            () => RetryAsync(actor, id, ct), ct);

    private async Task<Result> RetryAsync(Actor actor, long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var message = await db.OutboxMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (message is null)
        {
            return NotificationErrors.MessageNotFound(id);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.OutboxMessages.Where(m => m.Id == id && m.State == OutboxState.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, OutboxState.Pending).SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.NextAttemptAt, now).SetProperty(m => m.ClaimedUntil, (DateTime?)null), ct);
        if (changed == 0)
        {
            return NotificationErrors.NotFailed(id);
        }
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.NotificationRetry, $"Mail {id} to {message.Recipient} queued again.") with { Serial = message.Serial });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Result.Success();
    }
}
