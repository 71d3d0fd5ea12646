using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using CertTokenPortal.Core.CaConnectors.Local;

namespace CertTokenPortal.Tests.CaConnectors.Local;

/// <summary>CRL validity 7 days, overlap 2 days: the CRL is due again 5 days after it was published.</summary>
[Trait("Category", "Unit")]
public sealed class CrlRefreshTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private CoreServices _core = null!;

    public async Task InitializeAsync() =>
        _core = await CoreServices.StartAsync(configure: s => s.AddSingleton<TimeProvider>(_clock));

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task RefreshDueAsync_BeforeOverlapWindow_PublishesNothing()
    {
        _clock.Advance(TimeSpan.FromDays(5) - TimeSpan.FromMinutes(1));

        var published = await _core.Get<CrlRefresher>().RefreshDueAsync(default);

        Assert.Empty(published);
        Assert.Equal(1, await CrlNumberAsync());
    }

    [Fact]
    public async Task RefreshDueAsync_OverlapWindowReached_RepublishesWithNextNumberAndNewDates()
    {
        _clock.Advance(TimeSpan.FromDays(5));

        var published = await _core.Get<CrlRefresher>().RefreshDueAsync(default);

        Assert.Equal(["localCA"], published);
        await using var db = _core.NewDb();
        var local = await db.LocalCas.SingleAsync();
        Assert.Equal(2, local.CrlNumber);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, local.CrlThisUpdate!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal(_clock.GetUtcNow().UtcDateTime.AddDays(7), local.CrlNextUpdate!.Value, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task CrlRefreshService_TimeMovesIntoOverlapWindow_RepublishesOnItsOwn()
    {
        var service = _core.Services.GetServices<IHostedService>().OfType<BackgroundService>().Single(s => s.GetType().Name == "CrlRefreshService");
        var firstPublished = await ThisUpdateAsync();
        await service.StartAsync(default);
        try
        {
            _clock.Advance(TimeSpan.FromDays(4)); // not yet due
            for (var i = 0; i < 200 && await CrlNumberAsync() == 1; i++)
            {
                // Steps of more than the 30-minute check interval, so every step fires the service's timer.
                _clock.Advance(TimeSpan.FromMinutes(31));
                await Task.Delay(20);
            }

            Assert.Equal(2, await CrlNumberAsync());
            // Not before the overlap window opened (5 days after the first CRL), and at the first check after it.
            var republished = await ThisUpdateAsync();
            Assert.InRange(republished, firstPublished.AddDays(5), firstPublished.AddDays(5).AddMinutes(62));
        }
        finally
        {
            await service.StopAsync(default);
        }
    }

    private async Task<long> CrlNumberAsync()
    {
        await using var db = _core.NewDb();
        return await db.LocalCas.Select(l => l.CrlNumber).SingleAsync();
    }

    private async Task<DateTimeOffset> ThisUpdateAsync()
    {
        await using var db = _core.NewDb();
        return await db.LocalCas.Select(l => l.CrlThisUpdate!.Value).SingleAsync();
    }
}
