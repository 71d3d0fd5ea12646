using System.ComponentModel.DataAnnotations;
using CertTokenPortal.Core.Common;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Work;

/// <summary>The <c>Portal:Work</c> section: how much CPU-bound work (key generation, signing) runs at once and waits.</summary>
public sealed class WorkOptions
{
    public const string Section = "Portal:Work";

    /// <summary>How many key generations or signings run at once; 0 means one per processor core.</summary>
    [Range(0, 256)]
    public int Concurrency { get; set; }

    /// <summary>How many more may wait for a turn; past that, requests are answered "busy" at once.</summary>
    [Range(0, 100_000)]
    public int QueueLength { get; set; } = 32;

    /// <summary>The seconds a busy answer asks the client to wait (HTTP Retry-After).</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 5;

    public int EffectiveConcurrency => Concurrency > 0 ? Concurrency : Environment.ProcessorCount;
}

/// <summary>
/// A bounded queue for the CPU-bound part of an enrolment (key generation, signing, the PKCS#12). At most
/// <see cref="WorkOptions.EffectiveConcurrency"/> run at once; up to <see cref="WorkOptions.QueueLength"/> wait without
/// holding a thread; one more is refused with a busy error, so a burst of RSA-4096 requests cannot starve the list
/// pages and the API of threads. Per process: each portal instance bounds its own cores.
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly WorkOptions _options;
    private int _waiting;

    public WorkQueue(IOptions<WorkOptions> options)
    {
        _options = options.Value;
        _slots = new SemaphoreSlim(_options.EffectiveConcurrency, _options.EffectiveConcurrency);
    }

    /// <summary>How many wait for a turn now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>
    /// Waits for a turn; dispose the slot to give it back. Busy when the queue is full. A request whose client has
    /// gone stops here with <see cref="OperationCanceledException"/>, before any work is done.
    /// </summary>
    public async Task<Result<IDisposable>> EnterAsync(CancellationToken ct)
    {
        if (!_slots.Wait(0, CancellationToken.None))
        {
            if (Interlocked.Increment(ref _waiting) > _options.QueueLength)
            {
                Interlocked.Decrement(ref _waiting);
                return PortalError.Busy(
                    $"The portal is busy making keys and certificates for other requests; try again in {_options.RetryAfterSeconds} seconds.",
                    _options.RetryAfterSeconds);
            }
            try
            {
                await _slots.WaitAsync(ct);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }
        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
