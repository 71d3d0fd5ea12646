using System.ComponentModel.DataAnnotations;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Tokens.Pending;

/// <summary>The <c>Portal:PendingRequests</c> section: how often pending requests are asked after.</summary>
public sealed class PendingRequestOptions
{
    public const string Section = "Portal:PendingRequests";

    [Range(1, 86400)]
    public int PollIntervalSeconds { get; set; } = 60;

    /// <summary>How many pending tokens one round asks after (the longest waiting first).</summary>
    [Range(1, 10000)]
    public int BatchSize { get; set; } = 200;
}

/// <summary>
/// Asks every CA that can report on its requests (<see cref="IPendingRequestSource"/>) what became of the pending
/// tokens, and applies the answer with the same state changes an approval makes. Several portal instances may poll at
/// once: each change starts with a conditional claim of the token, so a decision is applied exactly once.
/// </summary>
public sealed partial class PendingRequestPoller(
    IDbContextFactory<PortalDbContext> dbFactory,
    ICaConnectorRegistry caConnectors,
    PendingTokenTransition transition,
    IAuditLog audit,
    Notifications.TokenNotifications notifications,
    IOptions<PendingRequestOptions> options,
    ILogger<PendingRequestPoller> logger)
{
    private sealed record PendingToken(long Id, string Serial, string CaName, string RequestId, string Owner);

    /// <summary>One round; returns how many tokens changed state.</summary>
    public async Task<int> PollAsync(CancellationToken ct)
    {
        List<PendingToken> pending;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            pending = await db.Tokens.AsNoTracking()
                .Where(t => t.RolloutState == RolloutState.Pending && t.CaName != null && t.RequestId != null)
                .OrderBy(t => t.UpdatedAt).ThenBy(t => t.Id)
                .Take(options.Value.BatchSize)
                .Select(t => new PendingToken(t.Id, t.Serial, t.CaName!, t.RequestId!, t.OwnerUserName))
                .ToListAsync(ct);
        }

        var changed = 0;
        foreach (var group in pending.GroupBy(p => p.CaName))
        {
            var connector = await caConnectors.GetAsync(group.Key, ct);
            if (!connector.IsSuccess || connector.Value is not IPendingRequestSource source)
            {
                continue;
            }
            foreach (var token in group)
            {
                try
                {
                    changed += await ApplyAsync(source, token, ct) ? 1 : 0;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One CA that fails (offline, a bad answer) must not stop the others; the next round tries again.
                    LogCheckFailed(logger, e, token.Serial, token.CaName);
                }
            }
        }
        return changed;
    }

    private async Task<bool> ApplyAsync(IPendingRequestSource source, PendingToken token, CancellationToken ct)
    {
        // Asked outside the transaction: an external CA may take a while to answer.
        var outcome = await source.CheckAsync(token.RequestId, ct);
        if (outcome is CaIssueOutcome.Pending)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await transition.ClaimAsync(db, token.Id, ct))
        {
            return false; // decided meanwhile, by an admin or another instance
        }
        var updated = await transition.ApplyAsync(db, token.Id, outcome, ct);
        var (action, message) = outcome switch
        {
            CaIssueOutcome.Issued => (AuditActions.TokenApprove, $"CA '{token.CaName}' issued request {token.RequestId}: certificate {updated.CertificateSerial} for {updated.Subject}."),
            CaIssueOutcome.Denied d => (AuditActions.TokenDeny, $"CA '{token.CaName}' denied request {token.RequestId}: {d.Reason}"),
            _ => (AuditActions.TokenEnrol, $"CA '{token.CaName}' failed request {token.RequestId}: {updated.FailureMessage}"),
        };
        audit.Add(db, Actor.System, new AuditEvent(action, outcome is CaIssueOutcome.Issued, message)
        {
            Serial = token.Serial, TargetUser = token.Owner, CaName = token.CaName,
        });
        if (updated.RolloutState is RolloutState.Enrolled or RolloutState.Denied)
        {
            await notifications.RequestDecidedAsync(db, Actor.System, updated, updated.RolloutState == RolloutState.Enrolled, ct);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        LogDecided(logger, token.Serial, updated.RolloutState.ToName());
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Asking CA {CaName} about the request of token {Serial} failed; trying again next round")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string serial, string caName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pending token {Serial} is now {State}, as its CA decided")]
    private static partial void LogDecided(ILogger logger, string serial, string state);
}

/// <summary>Runs <see cref="PendingRequestPoller"/> on a timer (on <see cref="TimeProvider"/>, so tests can move time), on one instance of a cluster.</summary>
internal sealed partial class PendingRequestPollService(
    IServiceScopeFactory scopes,
    Cluster.ClusterLeases leases,
    IOptions<PendingRequestOptions> options,
    TimeProvider clock,
    ILogger<PendingRequestPollService> logger) : Cluster.LeasedPeriodicJob(LeaseName, scopes, leases, clock)
{
    public const string LeaseName = "pending-request-poll";

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);

    // The first poll comes one interval after start, unlike the CRL and revocation checks: a start-up does not ask every
    // CA at once, and a decision waits at most one (short) interval.
    protected override bool RunsAtStart => false;

    protected override Task RunOnceAsync(IServiceProvider scoped, CancellationToken ct) =>
        scoped.GetRequiredService<PendingRequestPoller>().PollAsync(ct);

    protected override void LogFailure(Exception exception) => LogFailed(logger, exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Polling pending requests failed; trying again at the next tick.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
