using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Tokens.Renewal;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CertTokenPortal.Tests.Tokens.Renewal;

/// <summary>The replaced certificate enters the CRL as superseded when the template's grace period ends (time moved, not waited).</summary>
[Trait("Category", "ExternalTool")]
public sealed class SupersededRevokerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly TempDirectory _dir = new("ctp-superseded");
    private CoreServices _core = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreServices.StartAsync(configure: s => s.AddSingleton<TimeProvider>(_clock));
        await _core.CreateUserAsync("alice");
    }

    public async Task DisposeAsync()
    {
        await _core.DisposeAsync();
        _dir.Dispose();
    }

    private async Task SetGraceAsync(int? days)
    {
        await using var db = _core.NewDb();
        await db.CertificateTemplates.ExecuteUpdateAsync(s => s.SetProperty(t => t.SupersededGraceDays, days));
    }

    private Task<int> RunJobAsync() => _core.InScopeAsync(sp => sp.GetRequiredService<SupersededRevoker>().RevokeDueAsync(null, default));

    /// <summary>The CA's current CRL as openssl reads it, with serials in the token's notation (upper-case hex, no colons).</summary>
    private async Task<string> CrlTextAsync()
    {
        var connector = (ICrlPublisher)(await _core.Get<ICaConnectorRegistry>().GetAsync("localCA")).Value;
        var crl = await connector.GetCurrentCrlAsync(default);
        File.WriteAllBytes(_dir.File("crl.der"), crl!.Der);
        return ExternalTool.OpenSsl("crl", "-in", _dir.File("crl.der"), "-inform", "DER", "-noout", "-text").StdOut.Replace(":", "").ToUpperInvariant();
    }

    [Fact]
    public async Task RevokeDueAsync_AfterTheGracePeriod_OldCertificateInCrlAsSupersededNewOneNot()
    {
        await SetGraceAsync(2);
        var token = await _core.EnrolCsrAsync("alice", "alice");
        var renewed = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial));
        Assert.True(renewed.IsSuccess, renewed.Error?.Message);

        _clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await RunJobAsync());
        Assert.DoesNotContain(token.CertificateSerial!, await CrlTextAsync());

        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await RunJobAsync());
        Assert.Equal(0, await RunJobAsync()); // once: a second round (or instance) finds nothing left

        var crl = await CrlTextAsync();
        Assert.Matches($"SERIAL NUMBER {token.CertificateSerial}\\s+REVOCATION DATE[^\\n]*\\n\\s+CRL ENTRY EXTENSIONS\\s+X509V3 CRL REASON CODE\\s+SUPERSEDED", crl);
        Assert.DoesNotContain(renewed.Value.Token.CertificateSerial!, crl);
        var history = await _core.HistoryAsync(token.Serial);
        Assert.Equal([TokenCertificateStates.Revoked, TokenCertificateStates.Current], history.Select(h => h.State));
        Assert.False((await _core.FindTokenAsync(token.Serial))!.Revoked);
    }

    [Fact]
    public async Task ExecuteAsync_GraceZero_OldCertificateInCrlAtOnce()
    {
        await SetGraceAsync(0);
        var token = await _core.EnrolCsrAsync("alice", "alice");

        var renewed = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial));

        Assert.True(renewed.IsSuccess, renewed.Error?.Message);
        Assert.Contains(token.CertificateSerial!, await CrlTextAsync());
        Assert.Equal(TokenCertificateStates.Revoked, (await _core.HistoryAsync(token.Serial))[0].State);
    }

    [Fact]
    public async Task RevokeDueAsync_LeftToExpire_NeverRevoked()
    {
        await SetGraceAsync(null);
        var token = await _core.EnrolCsrAsync("alice", "alice");
        Assert.True((await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial))).IsSuccess);

        _clock.Advance(TimeSpan.FromDays(400));

        Assert.Equal(0, await RunJobAsync());
        Assert.Equal(TokenCertificateStates.Superseded, (await _core.HistoryAsync(token.Serial))[0].State);
    }
}
