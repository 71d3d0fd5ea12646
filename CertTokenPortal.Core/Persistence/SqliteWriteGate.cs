using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Persistence;

/// <summary>
/// Lines up this process's enrolment write transactions on SQLite in memory, before SQLite's write lock. SQLite lets
/// one writer in at a time and makes the others wait in its busy handler, which sleeps in growing steps (1 ms up to
/// 100 ms) and blocks a thread-pool thread meanwhile; under parallel enrolments the lock was free most of the time the
/// waiters slept. Waiting here is asynchronous and ends the moment the previous commit returns. Other processes and
/// other writers still meet SQLite's own lock and busy timeout, so correctness does not rest on this gate.
/// On PostgreSQL, which lets writers work in parallel, the gate is open.
/// </summary>
public sealed class SqliteWriteGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Waits for this process's turn to write on SQLite; dispose the result after the commit or rollback.</summary>
    public async ValueTask<IDisposable?> EnterAsync(PortalDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            return null;
        }
        await _gate.WaitAsync(ct);
        return new Turn(_gate);
    }

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
