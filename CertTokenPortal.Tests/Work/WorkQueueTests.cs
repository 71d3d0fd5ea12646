using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Work;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Tests.Work;

[Trait("Category", "Unit")]
public sealed class WorkQueueTests
{
    private static WorkQueue Queue(int concurrency, int queueLength) =>
        new(Options.Create(new WorkOptions { Concurrency = concurrency, QueueLength = queueLength, RetryAfterSeconds = 3 }));

    [Fact]
    public async Task EnterAsync_PastTheBound_BusyWithRetryAfter()
    {
        using var queue = Queue(1, 1);
        using var first = (await queue.EnterAsync(default)).Value;
        var waiting = queue.EnterAsync(default);

        var refused = await queue.EnterAsync(default);

        Assert.Equal((ErrorKind.Busy, 3), (refused.Error?.Kind, refused.Error?.RetryAfterSeconds));
        Assert.False(waiting.IsCompleted);
        first.Dispose();
        using var second = (await waiting).Value;
        Assert.Equal(0, queue.Waiting);
    }

    [Fact]
    public async Task EnterAsync_CancelledWhileWaiting_ThrowsAndFreesItsPlace()
    {
        using var queue = Queue(1, 1);
        using var held = (await queue.EnterAsync(default)).Value;
        using var gone = new CancellationTokenSource();
        var waiting = queue.EnterAsync(gone.Token);

        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(0, queue.Waiting);
    }
}

/// <summary>An enrolment whose client has gone while it waited for its turn: nothing is written, nothing counts.</summary>
[Trait("Category", "Component")]
public sealed class EnrolmentAbortTests
{
    [Fact]
    public async Task Enrol_ClientGoneWhileQueued_StopsBeforeIssuingAndWritesNothing()
    {
        await using var core = await CoreServices.StartAsync(new Dictionary<string, string?>
        {
            ["Portal:Work:Concurrency"] = "1",
            ["Portal:Work:QueueLength"] = "4",
        });
        await core.CreateUserAsync("gone");
        var queue = core.Get<WorkQueue>();
        var held = (await queue.EnterAsync(default)).Value;
        using var client = new CancellationTokenSource();

        var enrolment = core.InScopeAsync(sp => sp.GetRequiredService<EnrolTokenCommand>().ExecuteAsync(TestPki.Helpdesk,
            new EnrolmentRequest { UserName = "gone", CaName = "localCA", GenerateKey = true, KeyType = "rsa", KeySize = "4096" }, client.Token));
        while (queue.Waiting == 0)
        {
            await Task.Delay(10);
        }
        await client.CancelAsync();
        held.Dispose();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => enrolment);
        await using var db = core.NewDb();
        Assert.Equal(0, await db.Tokens.CountAsync());
        Assert.Equal(0, await db.IssuedCertificates.CountAsync());
        Assert.False(await db.AuditEntries.AnyAsync(e => e.TargetUser == "gone" && e.Action == Core.Audit.AuditActions.TokenEnrol));
        Assert.False(await db.TokenOwnerLocks.AnyAsync(l => l.OwnerUserName == "gone"));
    }

    [Fact]
    public async Task Enrol_ClientAlreadyGone_StopsAndWritesNothing()
    {
        await using var core = await CoreServices.StartAsync();
        await core.CreateUserAsync("late");
        using var client = new CancellationTokenSource();
        await client.CancelAsync();

        var enrolment = core.InScopeAsync(sp => sp.GetRequiredService<EnrolTokenCommand>().ExecuteAsync(TestPki.Helpdesk,
            new EnrolmentRequest { UserName = "late", CaName = "localCA", Csr = TestCsrs.Rsa("late") }, client.Token));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => enrolment);
        await using var db = core.NewDb();
        Assert.Equal(0, await db.Tokens.CountAsync());
        Assert.Equal(0, await db.IssuedCertificates.CountAsync());
    }
}
