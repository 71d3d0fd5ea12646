using CertTokenPortal.Core.Notifications;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CertTokenPortal.Tests.Notifications;

/// <summary>Core services with mail pointed at a real in-process SMTP server, on a clock the test moves.</summary>
public sealed class NotificationScenario : IAsyncDisposable
{
    private NotificationScenario(TestSmtpServer smtp, FakeTimeProvider clock, CoreServices core)
    {
        Smtp = smtp;
        Clock = clock;
        Core = core;
    }

    public TestSmtpServer Smtp { get; }
    public FakeTimeProvider Clock { get; }
    public CoreServices Core { get; }

    public static async Task<NotificationScenario> StartAsync(bool mailOn = true, Dictionary<string, string?>? extra = null,
        bool startTls = false, (string, string)? credentials = null)
    {
        var smtp = TestSmtpServer.Start(startTls, credentials);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = smtp.Settings();
        settings["Portal:Mail:Enabled"] = mailOn ? "true" : "false";
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }
        var core = await CoreServices.StartAsync(settings, s => s.AddSingleton<TimeProvider>(clock));
        return new NotificationScenario(smtp, clock, core);
    }

    /// <summary>A second portal instance on the same database and key ring (a restart, or a second node).</summary>
    public Task<CoreServices> StartSecondInstanceAsync()
    {
        var settings = Smtp.Settings();
        settings["Portal:DataDirectory"] = Core.DataDirectory;
        return CoreServices.StartAsync(settings, s => s.AddSingleton<TimeProvider>(Clock));
    }

    public Task<int> SendDueAsync(CoreServices? instance = null) =>
        (instance ?? Core).InScopeAsync(sp => sp.GetRequiredService<OutboxDispatcher>().SendDueAsync(default));

    public Task<int> ScanAsync(CoreServices? instance = null) =>
        (instance ?? Core).InScopeAsync(sp => sp.GetRequiredService<ExpiryReminder>().ScanAsync(default));

    public async Task<List<OutboxMessage>> OutboxAsync()
    {
        await using var db = Core.NewDb();
        return await db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Core.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
