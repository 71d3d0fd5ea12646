using CertTokenPortal.Core.Notifications;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Notifications;

/// <summary>Reminders before expiry (30, 7, 1 days): once per threshold and certificate, even with two instances.</summary>
[Trait("Category", "ExternalTool")]
public sealed class ExpiryReminderTests : IAsyncLifetime
{
    private NotificationScenario _s = null!;

    public async Task InitializeAsync()
    {
        _s = await NotificationScenario.StartAsync();
        await _s.Core.CreateUserAsync("bob");
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task ScanAsync_ThresholdsCrossed_OneMailPerThresholdWithRenewLink()
    {
        var token = await _s.Core.EnrolCsrAsync("bob", "bob");
        await _s.Core.SetNotAfterAsync(token.Serial, _s.Clock.GetUtcNow().UtcDateTime.AddDays(10));

        Assert.Equal(1, await _s.ScanAsync());
        Assert.Equal(0, await _s.ScanAsync());
        _s.Clock.Advance(TimeSpan.FromDays(3.5)); // 6.5 days left: the 7-day threshold
        Assert.Equal(1, await _s.ScanAsync());
        Assert.Equal(0, await _s.ScanAsync());
        await _s.SendDueAsync();

        var mails = _s.Smtp.Received;
        Assert.Equal(2, mails.Count);
        Assert.Equal($"Your certificate {token.Serial} expires in 10 days", mails[0].Message.Subject);
        Assert.Equal($"Your certificate {token.Serial} expires in 7 days", mails[1].Message.Subject);
        Assert.All(mails, m => Assert.Contains($"http://pki.test/tokens/{token.Serial}?renew=1", m.Message.TextBody));
        Assert.All(mails, m => Assert.Equal(["bob@example.test"], m.To));
    }

    [Fact]
    public async Task ScanAsync_TwoInstancesAtOnce_RemindOnce()
    {
        var token = await _s.Core.EnrolCsrAsync("bob", "bob");
        await _s.Core.SetNotAfterAsync(token.Serial, _s.Clock.GetUtcNow().UtcDateTime.AddDays(20));
        await using var other = await _s.StartSecondInstanceAsync();

        var reminded = await Task.WhenAll(_s.ScanAsync(), _s.ScanAsync(other), _s.ScanAsync(), _s.ScanAsync(other));

        Assert.Equal(1, reminded.Sum());
        Assert.Single(await _s.OutboxAsync());
    }

    [Fact]
    public async Task ScanAsync_RevokedOrFarFromExpiry_NoReminder()
    {
        var revoked = await _s.Core.EnrolCsrAsync("bob", "bob1");
        await _s.Core.SetNotAfterAsync(revoked.Serial, _s.Clock.GetUtcNow().UtcDateTime.AddDays(5));
        await _s.Core.RevokeAsync(revoked.Serial);
        var far = await _s.Core.EnrolCsrAsync("bob", "bob2");
        await _s.Core.SetNotAfterAsync(far.Serial, _s.Clock.GetUtcNow().UtcDateTime.AddDays(31));

        Assert.Equal(0, await _s.ScanAsync());
        Assert.DoesNotContain(await _s.OutboxAsync(), m => m.Kind == NotificationKind.ExpiryWarning);
    }
}
