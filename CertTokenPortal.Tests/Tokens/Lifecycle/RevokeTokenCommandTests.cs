using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Local;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Lifecycle;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Tokens.Lifecycle;

/// <summary>Revocation straight through Core: validate, authorize, revoke at the CA, persist, republish the CRL.</summary>
[Trait("Category", "Unit")]
public sealed class RevokeTokenCommandTests : IAsyncLifetime
{
    private CoreServices _core = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreServices.StartAsync();
        await _core.CreateUserAsync("alice");
        await _core.CreateUserAsync("bob");
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task ExecuteAsync_ValidToken_TokenLedgerAndCrlShowTheRevocation()
    {
        var token = await _core.EnrolCsrAsync("alice", "alice");
        var crlBefore = await CrlNumberAsync();

        var result = await RevokeAsync(TestPki.Helpdesk, token.Serial, "keyCompromise");

        Assert.True(result.IsSuccess, result.Error?.Message);
        var stored = await _core.FindTokenAsync(token.Serial);
        Assert.Equal((true, true, false, "keyCompromise"), (stored!.Revoked, stored.Locked, stored.Active, stored.RevocationReason));
        await using var db = _core.NewDb();
        var ledger = await db.IssuedCertificates.SingleAsync(c => c.SerialNumber == stored.CertificateSerial);
        Assert.Equal(IssuedCertificateStatus.Revoked, ledger.Status);
        Assert.Equal(1, ledger.RevocationReason); // RFC 5280 keyCompromise
        Assert.True(await CrlNumberAsync() > crlBefore, "the CRL was republished");
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenRevoke && e.Serial == token.Serial && e.Success));
    }

    [Fact]
    public async Task ExecuteAsync_HelpdeskGivesCaCompromise_ForbiddenAuditedAndNothingRevoked()
    {
        var token = await _core.EnrolCsrAsync("alice", "alice");

        var result = await RevokeAsync(TestPki.Helpdesk, token.Serial, "cACompromise");

        Assert.Equal(TokenErrors.CaCompromiseAdminsOnly, result.Error);
        Assert.False((await _core.FindTokenAsync(token.Serial))!.Revoked);
        await using var db = _core.NewDb();
        Assert.Equal(IssuedCertificateStatus.Valid, (await db.IssuedCertificates.SingleAsync(c => c.TokenSerial == token.Serial)).Status);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenRevoke && e.Serial == token.Serial && !e.Success));
    }

    [Fact]
    public async Task ExecuteAsync_AdminGivesCaCompromise_Revokes()
    {
        var token = await _core.EnrolCsrAsync("alice", "alice");

        var result = await RevokeAsync(TestPki.Admin, token.Serial, "cACompromise");

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("cACompromise", (await _core.FindTokenAsync(token.Serial))!.RevocationReason);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownReason_ValidationAuditedAndNothingRevoked()
    {
        var token = await _core.EnrolCsrAsync("alice", "alice");

        var result = await RevokeAsync(TestPki.Helpdesk, token.Serial, "boredom");

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.False((await _core.FindTokenAsync(token.Serial))!.Revoked);
        await using var db = _core.NewDb();
        Assert.Equal(IssuedCertificateStatus.Valid, (await db.IssuedCertificates.SingleAsync(c => c.TokenSerial == token.Serial)).Status);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenRevoke && e.Serial == token.Serial && !e.Success));
    }

    [Fact]
    public async Task ExecuteAsync_SomeoneElsesToken_NotFoundAndNothingRevoked()
    {
        var token = await _core.EnrolCsrAsync("alice", "alice");
        var bob = new Actor("bob", "default", PortalRoles.User, null);

        var result = await RevokeAsync(bob, token.Serial, "superseded");

        // Another user's serial reads as unknown, so the answer never tells that it exists.
        Assert.Equal(ErrorKind.NotFound, result.Error?.Kind);
        Assert.False((await _core.FindTokenAsync(token.Serial))!.Revoked);
    }

    [Fact]
    public async Task ExecuteAsync_AlreadyRevoked_TokenLockedAndFirstReasonKept()
    {
        var token = await _core.EnrolCsrAsync("alice", "alice");
        Assert.True((await RevokeAsync(TestPki.Helpdesk, token.Serial, "superseded")).IsSuccess);

        var again = await RevokeAsync(TestPki.Admin, token.Serial, "keyCompromise");

        Assert.Equal(TokenErrors.AlreadyRevoked(token.Serial), again.Error);
        Assert.Equal("superseded", (await _core.FindTokenAsync(token.Serial))!.RevocationReason);
    }

    [Fact]
    public async Task ExecuteAsync_TwoConcurrentRevocations_OneSucceedsOneFindsItLocked()
    {
        var token = await _core.EnrolCsrAsync("alice", "alice");

        var results = await Task.WhenAll(
            Task.Run(() => RevokeAsync(TestPki.Helpdesk, token.Serial, "superseded")),
            Task.Run(() => RevokeAsync(TestPki.Admin, token.Serial, "keyCompromise")));

        Assert.Single(results, r => r.IsSuccess);
        Assert.Single(results, r => r.Error?.Reason == ErrorReason.TokenLocked);
        await using var db = _core.NewDb();
        Assert.Single(await db.AuditEntries.Where(e => e.Action == AuditActions.TokenRevoke && e.Serial == token.Serial && e.Success).ToListAsync());
    }

    private Task<Core.Common.Result<TokenView>> RevokeAsync(Actor actor, string serial, string reason) =>
        _core.InScopeAsync(sp => sp.GetRequiredService<RevokeTokenCommand>().ExecuteAsync(actor, serial, reason));

    private async Task<long> CrlNumberAsync()
    {
        var connector = (await _core.Get<ICaConnectorRegistry>().GetAsync("localCA")).Value;
        return (await ((ICrlPublisher)connector).GetCurrentCrlAsync(default))?.Number ?? 0;
    }
}
