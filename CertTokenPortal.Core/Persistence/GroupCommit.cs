using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Persistence;

/// <summary>What one write of a <see cref="GroupCommit"/> batch answers, and whether its rows are kept.</summary>
/// <param name="Value">The caller's answer, handed back once the batch has committed.</param>
/// <param name="Keep">False: what the write did is rolled back (its savepoint), the others of the batch stay.</param>
public readonly record struct GroupWrite<T>(T Value, bool Keep);

/// <summary>
/// Group commit: writes that arrive while a commit is under way are saved together by the next writer, in one
/// transaction and one commit (one fsync on SQLite with <c>synchronous=FULL</c>). On PostgreSQL each write has its own
/// transaction and the server shares WAL flushes among concurrent commits itself (see <see cref="Batches"/>). Each
/// write runs under its own savepoint, so a write that refuses (a reached quota) or fails (a taken serial) is undone
/// alone. Every caller is answered only after the commit that holds its rows has returned, so an answered write is as
/// durable as before; a crash before the commit loses only writes that nobody was answered for.
/// </summary>
/// <remarks>
/// One batch at a time per process: the writer that finds the turn free takes everything queued (up to
/// <see cref="MaxBatch"/>), which is what lets the batches grow while the disk is busy. Writes are applied in the order
/// of their <c>lockOrder</c> key (e.g. the owner whose quota row they lock), so that row locks are always taken in one
/// order. Correctness does not rest on this process: other processes meet the database's own locks.
/// </remarks>
public sealed class GroupCommit(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>The most writes in one transaction; a bound on how long the first of them waits for its answer.</summary>
    public const int MaxBatch = 64;

    private readonly ConcurrentQueue<Entry> _queue = new();
    private readonly SemaphoreSlim _turn = new(1, 1);
    private bool? _batches;
    private long _committedBatches;
    private long _writes;

    /// <summary>Transactions committed so far, and the writes they held (their ratio is the mean batch size).</summary>
    public (long Batches, long Writes) Committed => (Interlocked.Read(ref _committedBatches), Interlocked.Read(ref _writes));

    /// <summary>
    /// Runs <paramref name="write"/> inside a shared transaction and answers once that transaction has committed.
    /// <paramref name="write"/> adds its rows to the context it is given and saves them (<c>SaveChangesAsync</c>); it must
    /// not commit, and it must not touch entities of an earlier write (the context is cleared between writes). A write
    /// whose <paramref name="ct"/> is cancelled before its batch starts is not run.
    /// </summary>
    public Task<T> WriteAsync<T>(string lockOrder, Func<PortalDbContext, CancellationToken, Task<GroupWrite<T>>> write, CancellationToken ct) =>
        WriteAsync(lockOrder, write, durable: true, ct);

    /// <summary>
    /// As <see cref="WriteAsync{T}(string, Func{PortalDbContext, CancellationToken, Task{GroupWrite{T}}}, CancellationToken)"/>,
    /// and with <paramref name="durable"/> false the commit need not reach the disk before the answer: a batch of only
    /// such writes commits without waiting for the flush (SQLite <c>synchronous=NORMAL</c> in WAL mode, PostgreSQL
    /// <c>synchronous_commit=off</c>). Committed and visible at once, and kept when the portal process dies; a power cut
    /// or an operating-system crash may lose the last ones. For records of reads only (an audited listing), never for
    /// changes. A batch that holds any durable write is flushed as always.
    /// </summary>
    public async Task<T> WriteAsync<T>(string lockOrder, Func<PortalDbContext, CancellationToken, Task<GroupWrite<T>>> write, bool durable,
        CancellationToken ct)
    {
        var entry = new Entry<T>(lockOrder, write, ct) { Durable = durable };
        if (!Batches)
        {
            if (ct.IsCancellationRequested)
            {
                entry.Cancel();
            }
            else
            {
                await WriteBatchAsync([entry]);
            }
            return await entry.Answer;
        }
        _queue.Enqueue(entry);
        // Not cancellable: once queued, a write is answered by whichever batch takes it.
        await _turn.WaitAsync(CancellationToken.None);
        try
        {
            while (!entry.Done && TakeBatch() is { Count: > 0 } batch)
            {
                await WriteBatchAsync(batch);
            }
        }
        finally
        {
            _turn.Release();
        }
        return await entry.Answer;
    }

    /// <summary>
    /// SQLite: batches, one at a time (SQLite has one writer anyway). PostgreSQL: each write in its own transaction, in
    /// parallel, as before: the server shares one WAL flush among the commits waiting for it (its own group commit),
    /// while a batch would run its writes one after the other, each with round trips to the server.
    /// </summary>
    private bool Batches => _batches ??= IsSqlite();

    private bool IsSqlite()
    {
        using var db = dbFactory.CreateDbContext();
        return db.Database.IsSqlite();
    }

    private List<Entry> TakeBatch()
    {
        var batch = new List<Entry>();
        while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
        {
            if (next.Cancellation.IsCancellationRequested)
            {
                next.Cancel();
                continue;
            }
            batch.Add(next);
        }
        batch.Sort((a, b) => string.CompareOrdinal(a.LockOrder, b.LockOrder));
        return batch;
    }

    private async Task WriteBatchAsync(List<Entry> batch)
    {
        // The batch is everyone's: one caller going away must not undo the others' writes, hence CancellationToken.None.
        var ct = CancellationToken.None;
        var kept = new List<Entry>(batch.Count);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var flush = batch.Any(e => e.Durable);
            if (!flush && db.Database.IsSqlite())
            {
                // Per connection; the connection interceptor sets FULL again at every open, so it never outlives this batch.
                await db.Database.OpenConnectionAsync(ct);
                await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous = NORMAL", ct);
            }
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (!flush && db.Database.IsNpgsql())
            {
                await db.Database.ExecuteSqlRawAsync("SET LOCAL synchronous_commit = off", ct);
            }
            // A write alone needs no savepoint: whatever it did goes with the transaction if it is not kept.
            var savepoints = batch.Count > 1;
            var saved = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                var savepoint = $"w{i}";
                if (savepoints)
                {
                    await transaction.CreateSavepointAsync(savepoint, ct);
                }
                bool keep;
                try
                {
                    keep = await batch[i].RunAsync(db, ct);
                }
                catch (Exception e)
                {
                    if (savepoints)
                    {
                        await transaction.RollbackToSavepointAsync(savepoint, ct);
                    }
                    db.ChangeTracker.Clear();
                    batch[i].Fail(e);
                    continue;
                }
                if (!keep && savepoints)
                {
                    await transaction.RollbackToSavepointAsync(savepoint, ct);
                }
                db.ChangeTracker.Clear();
                saved += keep ? 1 : 0;
                kept.Add(batch[i]);
            }
            if (saved > 0)
            {
                await transaction.CommitAsync(ct);
            }
            else
            {
                await transaction.RollbackAsync(ct);
            }
        }
        catch (Exception e)
        {
            // The transaction did not commit: nothing of this batch is saved, and every write still waiting hears why.
            foreach (var entry in batch)
            {
                entry.Fail(e);
            }
            return;
        }
        Interlocked.Increment(ref _committedBatches);
        Interlocked.Add(ref _writes, kept.Count);
        foreach (var entry in kept)
        {
            entry.Complete();
        }
    }

    private abstract class Entry(string lockOrder, CancellationToken cancellation)
    {
        public string LockOrder { get; } = lockOrder;
        public CancellationToken Cancellation { get; } = cancellation;
        public bool Durable { get; init; } = true;
        public abstract bool Done { get; }
        public abstract Task<bool> RunAsync(PortalDbContext db, CancellationToken ct);
        public abstract void Complete();
        public abstract void Fail(Exception e);
        public abstract void Cancel();
    }

    private sealed class Entry<T>(string lockOrder, Func<PortalDbContext, CancellationToken, Task<GroupWrite<T>>> write, CancellationToken cancellation)
        : Entry(lockOrder, cancellation)
    {
        private readonly TaskCompletionSource<T> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _value = default!;

        public Task<T> Answer => _answer.Task;
        public override bool Done => _answer.Task.IsCompleted;

        public override async Task<bool> RunAsync(PortalDbContext db, CancellationToken ct)
        {
            var result = await write(db, ct);
            _value = result.Value;
            return result.Keep;
        }

        public override void Complete() => _answer.TrySetResult(_value);
        public override void Fail(Exception e) => _answer.TrySetException(e);
        public override void Cancel() => _answer.TrySetCanceled(Cancellation);
    }
}
