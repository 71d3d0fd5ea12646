using System.Collections.Concurrent;
using CertTokenPortal.Core.Persistence;

namespace CertTokenPortal.Core.Audit;

/// <summary>
/// Writes stand-alone audit entries (refusals, reads) that arrive together as one <see cref="GroupCommit"/> write: one
/// INSERT batch and at most one savepoint for all of them, where each entry used to be a write of its own with its own
/// SaveChanges and savepoint (together about 1.3 ms of a listing's 4.4, profile). Every caller is still answered only
/// after the commit that holds its entry, so what an answered request was audited with is as durable as before.
/// </summary>
/// <remarks>
/// One flush at a time: entries that arrive while one is under way wait for the next, which takes all of them (up to
/// <see cref="MaxEntries"/>), so the batches grow with the load and nothing waits for a timer. A flush is durable when
/// any of its entries is; a caller that goes away still has its entry written (an audit entry is not withdrawn).
/// </remarks>
internal sealed class AuditEntryBatch(GroupCommit groupCommit)
{
    /// <summary>The most entries in one flush.</summary>
    public const int MaxEntries = 256;

    private readonly ConcurrentQueue<Pending> _queue = new();
    private int _flushing;

    public Task AddAsync(AuditEntry entry, bool durable, CancellationToken ct)
    {
        var pending = new Pending(entry, durable);
        _queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _flushing, 1, 0) == 0)
        {
            _ = FlushAsync();
        }
        return pending.Written.Task.WaitAsync(ct);
    }

    private async Task FlushAsync()
    {
        while (true)
        {
            var batch = new List<Pending>();
            while (batch.Count < MaxEntries && _queue.TryDequeue(out var next))
            {
                batch.Add(next);
            }
            if (batch.Count == 0)
            {
                Volatile.Write(ref _flushing, 0);
                // An entry queued after the last look but before the turn was given back would wait for nobody.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _flushing, 1, 0) != 0)
                {
                    return;
                }
                continue;
            }
            try
            {
                await groupCommit.WriteAsync("", async (db, ct) =>
                {
                    foreach (var pending in batch)
                    {
                        db.AuditEntries.Add(pending.Entry);
                    }
                    return new GroupWrite<int>(await db.SaveChangesAsync(ct), Keep: true);
                }, durable: batch.Exists(p => p.Durable), CancellationToken.None);
                batch.ForEach(p => p.Written.TrySetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(p => p.Written.TrySetException(e));
            }
        }
    }

    private sealed record Pending(AuditEntry Entry, bool Durable)
    {
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
