using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Notifications;

/// <summary>
/// Sends what waits in the outbox. Each message is first claimed with a conditional update (pending, due, and not
/// claimed by a live sender), so that of several instances exactly one sends it; then sent; then marked sent in
/// the database at once. Delivery is at least once: if the process dies between the SMTP server's "250 OK" and the
/// mark, the claim runs out and the message goes again — one duplicate in that narrow window, never a loss.
/// A failure waits RetryBaseSeconds × 2^(attempt-1) (at most a day) and after MaxAttempts the message is failed,
/// shown on the Notifications page and in the audit log; a failing SMTP server never fails the event's request.
/// </summary>
public sealed partial class OutboxDispatcher(
    IDbContextFactory<PortalDbContext> dbFactory,
    MailSettingsStore settingsStore,
    IMailTransport transport,
    IAuditLog audit,
    IOptions<MailOptions> options,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger)
{
    public const string Action = AuditActions.NotificationSend;
    private const int BatchSize = 50;
    private static readonly TimeSpan ClaimLength = TimeSpan.FromMinutes(5);

    /// <summary>This process's name on the claims it makes.</summary>
    private static readonly string Instance = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Sends the messages that are due; returns how many were sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        MailSettings settings;
        List<long> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            settings = await settingsStore.GetAsync(db, ct);
            if (!settings.CanSend)
            {
                return 0; // kept, not dropped: they go once mail is switched on again
            }
            due = await db.OutboxMessages.AsNoTracking()
                .Where(m => m.State == OutboxState.Pending && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
                .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).Select(m => m.Id).Take(BatchSize).ToListAsync(ct);
        }
        var sent = 0;
        foreach (var id in due)
        {
            if (await SendOneAsync(id, settings, ct))
            {
                sent++;
            }
        }
        return sent;
    }

    private async Task<bool> SendOneAsync(long id, MailSettings settings, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await db.OutboxMessages
            .Where(m => m.Id == id && m.State == OutboxState.Pending && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntil, now + ClaimLength).SetProperty(m => m.ClaimedBy, Instance), ct);
        if (claimed == 0)
        {
            return false; // another instance has it
        }
        var message = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id, ct);
        try
        {
            await transport.SendAsync(settings, message.Recipient, new RenderedMail(message.Subject, message.TextBody, message.HtmlBody), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await RecordFailureAsync(db, message, e, ct);
            return false;
        }
        var sentAt = clock.GetUtcNow().UtcDateTime;
        await db.OutboxMessages.Where(m => m.Id == id && m.ClaimedBy == Instance)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, OutboxState.Sent)
                .SetProperty(m => m.SentAt, sentAt)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                .SetProperty(m => m.ClaimedUntil, (DateTime?)null)
                .SetProperty(m => m.LastError, (string?)null), CancellationToken.None);
        return true;
    }

    private async Task RecordFailureAsync(PortalDbContext db, OutboxMessage message, Exception e, CancellationToken ct)
    {
        var attempts = message.Attempts + 1;
        var failed = attempts >= options.Value.MaxAttempts;
        var now = clock.GetUtcNow().UtcDateTime;
        var next = now + Backoff(attempts);
        // The SMTP status code tells an admin most (535 bad login, 550 no such mailbox, 554 refused).
        var text = e is MailKit.Net.Smtp.SmtpCommandException smtp ? $"{(int)smtp.StatusCode} {smtp.Message}" : e.Message;
        var error = text.Length > 1000 ? text[..1000] : text;
        LogSendFailed(logger, message.Id, message.Recipient, attempts, error);

        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        await db.OutboxMessages.Where(m => m.Id == message.Id && m.ClaimedBy == Instance)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.NextAttemptAt, next)
                .SetProperty(m => m.State, failed ? OutboxState.Failed : OutboxState.Pending)
                .SetProperty(m => m.ClaimedUntil, (DateTime?)null)
                .SetProperty(m => m.LastError, error), CancellationToken.None);
        audit.Add(db, Actor.System, AuditEvent.Failed(Action, failed
            ? $"Mail {message.Id} ({message.Kind}) to {message.Recipient} failed {attempts} times and is given up: {error}"
            : $"Mail {message.Id} ({message.Kind}) to {message.Recipient} failed (attempt {attempts} of {options.Value.MaxAttempts}), next try at {NotificationOutbox.FormatTime(next)}: {error}")
            with { Serial = message.Serial });
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        _ = ct;
    }

    /// <summary>The wait after the <paramref name="attempts"/>th failure: doubling from RetryBaseSeconds, at most a day.</summary>
    public TimeSpan Backoff(int attempts)
    {
        var seconds = options.Value.RetryBaseSeconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromDays(1).TotalSeconds));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {Id} to {Recipient} failed (attempt {Attempts}): {Error}")]
    private static partial void LogSendFailed(ILogger logger, long id, string recipient, int attempts, string error);
}
