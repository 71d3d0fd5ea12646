using System.Threading.Channels;
using CertTokenPortal.Core.Cluster;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CertTokenPortal.Tests.Cluster;

/// <summary>
/// The loop every leased background job shares (CRL refresh, pending-request polling, superseded revocation): rounds
/// on the timer, only on the lease holder, a failed round retried at the next tick, and stopping ends the loop and
/// frees the lease. Time is moved by a <see cref="FakeTimeProvider"/>; instances are separate <see cref="ClusterLeases"/>.
/// </summary>
[Trait("Category", "Unit")]
public sealed class LeasedPeriodicJobTests(CoreFixture fixture) : IClassFixture<CoreFixture>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly string _lease = $"test-{Guid.NewGuid():N}"[..30];

    private ClusterLeases Instance() => new(fixture.Core.Get<IDbContextFactory<PortalDbContext>>(), _clock, Options.Create(new ClusterOptions()));

    private TestJob Job(ClusterLeases instance, bool runsAtStart = true, Func<int, CancellationToken, Task>? round = null) =>
        new(_lease, fixture.Core.Get<IServiceScopeFactory>(), instance, _clock, runsAtStart, round ?? ((_, _) => Task.CompletedTask));

    [Fact]
    public async Task ExecuteAsync_RunsAtStart_FirstRoundWithoutWaiting()
    {
        await using var job = await StartedAsync(Job(Instance()));

        Assert.Equal("ran 1", await job.NextAsync());
    }

    [Fact]
    public async Task ExecuteAsync_NotAtStart_FirstRoundAfterOneInterval()
    {
        await using var job = await StartedAsync(Job(Instance(), runsAtStart: false));
        await Task.Delay(200); // a round at start would have been reported by now

        Assert.False(job.HasNext);
        _clock.Advance(Interval);
        Assert.Equal("ran 1", await job.NextAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a time-out (an HTTP client's, say) is an OperationCanceledException too; only stopping ends the loop
    public async Task ExecuteAsync_RoundFails_FailureLoggedAndNextTickRunsAgain(bool timedOut)
    {
        Exception failure = timedOut
            ? new TaskCanceledException("the CA did not answer in time")
            : new InvalidOperationException("database unreachable");
        await using var job = await StartedAsync(Job(Instance(), round: (n, _) => n == 1 ? throw failure : Task.CompletedTask));

        Assert.Equal($"failed: {failure.Message}", await job.NextAsync());
        _clock.Advance(Interval);
        Assert.Equal("ran 2", await job.NextAsync());
        _clock.Advance(Interval);
        Assert.Equal("ran 3", await job.NextAsync());
    }

    [Fact]
    public async Task ExecuteAsync_AnotherInstanceHoldsLease_RunsOnlyAfterHolderStops()
    {
        var holder = await StartedAsync(Job(Instance()));
        Assert.Equal("ran 1", await holder.NextAsync());
        await using var other = await StartedAsync(Job(Instance()));

        for (var round = 2; round <= 4; round++)
        {
            _clock.Advance(Interval);
            Assert.Equal($"ran {round}", await holder.NextAsync());
        }
        Assert.False(other.HasNext); // its rounds found the lease taken
        await holder.DisposeAsync(); // a clean stop gives the lease up
        _clock.Advance(Interval);

        Assert.Equal("ran 1", await other.NextAsync());
    }

    [Fact]
    public async Task StopAsync_DuringRound_LoopEndsWithoutFailureAndLeaseIsFree()
    {
        var started = new TaskCompletionSource();
        var job = await StartedAsync(Job(Instance(), round: async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        }));
        await started.Task.WaitAsync(TestTimeouts.Patience);

        await job.DisposeAsync();

        Assert.True(job.ExecuteTask!.IsCanceled);
        Assert.False(job.HasNext); // cancellation is no failure
        Assert.True(await Instance().TryAcquireAsync(_lease, Interval, default));
    }

    private static async Task<TestJob> StartedAsync(TestJob job)
    {
        await job.StartAsync(default);
        return job;
    }

    /// <summary>Reports every round (its number, counting failed ones) and every failure to the test.</summary>
    private sealed class TestJob(
        string lease, IServiceScopeFactory scopes, ClusterLeases leases, TimeProvider clock, bool runsAtStart,
        Func<int, CancellationToken, Task> round) : LeasedPeriodicJob(lease, scopes, leases, clock), IAsyncDisposable
    {
        private readonly Channel<string> _reports = Channel.CreateUnbounded<string>();
        private int _rounds;

        protected override TimeSpan Interval => LeasedPeriodicJobTests.Interval;

        protected override bool RunsAtStart => runsAtStart;

        public bool HasNext => _reports.Reader.TryPeek(out _);

        public async Task<string> NextAsync() => await _reports.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Patience);

        protected override async Task RunOnceAsync(IServiceProvider scoped, CancellationToken ct)
        {
            // A round's own scope: scoped services (the token use cases) resolve, which the root refuses (ValidateScopes).
            Assert.NotNull(scoped.GetRequiredService<Core.Tokens.Renewal.SupersededRevoker>());
            var number = Interlocked.Increment(ref _rounds);
            await round(number, ct);
            _reports.Writer.TryWrite($"ran {number}");
        }

        protected override void LogFailure(Exception exception) => _reports.Writer.TryWrite($"failed: {exception.Message}");

        public async ValueTask DisposeAsync()
        {
            await StopAsync(default);
            Dispose();
        }
    }
}
