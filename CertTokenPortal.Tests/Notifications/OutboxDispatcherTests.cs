using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Notifications;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Notifications;

/// <summary>The outbox against a broken server, a restart and a second instance: nothing lost, nothing sent twice.</summary>
[Trait("Category", "ExternalTool")]
public sealed class OutboxDispatcherTests : IAsyncLifetime
{
    private NotificationScenario _s = null!;

    public async Task InitializeAsync()
    {
        _s = await NotificationScenario.StartAsync(extra: new() { ["Portal:Mail:MaxAttempts"] = "3", ["Portal:Mail:RetryBaseSeconds"] = "60" });
        await _s.Core.CreateUserAsync("bob");
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task SendDueAsync_BrokenServer_RequestSucceedsMailWaitsWithBackoffThenGoesOnce()
    {
        _s.Smtp.Failing = true;
        var token = await _s.Core.EnrolCsrAsync("bob", "bob");
        await _s.Core.RevokeAsync(token.Serial); // the request succeeds although the server refuses mail

        Assert.Equal(0, await _s.SendDueAsync());
        var waiting = Assert.Single(await _s.OutboxAsync());
        Assert.Equal((OutboxState.Pending, 1), (waiting.State, waiting.Attempts));
        Assert.Equal(_s.Clock.GetUtcNow().UtcDateTime.AddSeconds(60), waiting.NextAttemptAt, TimeSpan.FromSeconds(1));
        Assert.Contains("554", waiting.LastError);
        Assert.Single(await FailureAuditsAsync());

        _s.Smtp.Failing = false;
        Assert.Equal(0, await _s.SendDueAsync()); // not yet due: the back-off holds
        _s.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, await _s.SendDueAsync());
        Assert.Equal(0, await _s.SendDueAsync());

        Assert.Single(_s.Smtp.Received);
        var sent = Assert.Single(await _s.OutboxAsync());
        Assert.Equal((OutboxState.Sent, 2), (sent.State, sent.Attempts));
    }

    [Fact]
    public async Task SendDueAsync_FailsMaxAttempts_MarkedFailedAuditedAndRetryableByAdmin()
    {
        _s.Smtp.Failing = true;
        var token = await _s.Core.EnrolCsrAsync("bob", "bob");
        await _s.Core.RevokeAsync(token.Serial);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await _s.SendDueAsync();
            _s.Clock.Advance(TimeSpan.FromSeconds(60 * Math.Pow(2, attempt - 1)));
        }

        var failed = Assert.Single(await _s.OutboxAsync());
        Assert.Equal((OutboxState.Failed, 3), (failed.State, failed.Attempts));
        Assert.Contains("given up", (await FailureAuditsAsync()).Last().Message);
        _s.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, await _s.SendDueAsync());

        _s.Smtp.Failing = false;
        var retried = await _s.Core.InScopeAsync(sp => sp.GetRequiredService<RetryOutboxMessageCommand>().ExecuteAsync(TestPki.Admin, failed.Id));
        Assert.True(retried.IsSuccess, retried.Error?.Message);
        Assert.Equal(1, await _s.SendDueAsync());
        Assert.Single(_s.Smtp.Received);
    }

    [Fact]
    public async Task SendDueAsync_RestartAfterCrashMidSend_SendsEachMessageOnce()
    {
        var first = await _s.Core.EnrolCsrAsync("bob", "bob1");
        await _s.Core.RevokeAsync(first.Serial);
        Assert.Equal(1, await _s.SendDueAsync());
        var second = await _s.Core.EnrolCsrAsync("bob", "bob2");
        await _s.Core.RevokeAsync(second.Serial);
        // The first instance claimed the second mail and died before sending it.
        await using (var db = _s.Core.NewDb())
        {
            var until = _s.Clock.GetUtcNow().UtcDateTime.AddMinutes(5);
            await db.OutboxMessages.Where(m => m.State == OutboxState.Pending)
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.ClaimedUntil, until).SetProperty(m => m.ClaimedBy, "dead-instance"));
        }

        await using var restarted = await _s.StartSecondInstanceAsync();
        Assert.Equal(0, await _s.SendDueAsync(restarted)); // the claim still holds
        _s.Clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await _s.SendDueAsync(restarted));
        Assert.Equal(0, await _s.SendDueAsync(restarted));

        Assert.Equal([first.Serial, second.Serial], _s.Smtp.Received.Select(m => SerialIn(m.Message.Subject)).ToArray());
    }

    [Fact]
    public async Task SendDueAsync_TwoInstancesAtOnce_EachMessageSentExactlyOnce()
    {
        var serials = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var token = await _s.Core.EnrolCsrAsync("bob", $"bob{i}");
            await _s.Core.RevokeAsync(token.Serial);
            serials.Add(token.Serial);
        }
        await using var other = await _s.StartSecondInstanceAsync();

        var sent = await Task.WhenAll(_s.SendDueAsync(), _s.SendDueAsync(other), _s.SendDueAsync(), _s.SendDueAsync(other));

        Assert.Equal(4, sent.Sum());
        Assert.Equal(serials.Order(), _s.Smtp.Received.Select(m => SerialIn(m.Message.Subject)).Order());
        Assert.All(await _s.OutboxAsync(), m => Assert.Equal(OutboxState.Sent, m.State));
    }

    private static string SerialIn(string? subject) => (subject ?? "").Split(' ').Single(w => w.StartsWith("CRT", StringComparison.Ordinal));

    private async Task<List<AuditEntry>> FailureAuditsAsync()
    {
        await using var db = _s.Core.NewDb();
        return await db.AuditEntries.AsNoTracking().Where(a => a.Action == AuditActions.NotificationSend && !a.Success).OrderBy(a => a.Id).ToListAsync();
    }
}
