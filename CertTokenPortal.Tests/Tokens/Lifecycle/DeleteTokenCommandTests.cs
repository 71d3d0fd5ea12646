using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors.Local;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.Tokens.Lifecycle;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Tokens.Lifecycle;

/// <summary>Deleting a token revokes its still valid certificate first (cessationOfOperation); only admins delete.</summary>
[Trait("Category", "Unit")]
public sealed class DeleteTokenCommandTests : IAsyncLifetime
{
    private CoreServices _core = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreServices.StartAsync();
        await _core.CreateUserAsync("alice");
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task ExecuteAsync_AdminDeletesValidToken_TokenGoneCertificateRevoked()
    {
        var token = await _core.EnrolCsrAsync("alice", "alice");

        var result = await DeleteAsync(TestPki.Admin, token.Serial);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Null(await _core.FindTokenAsync(token.Serial));
        await using var db = _core.NewDb();
        var ledger = await db.IssuedCertificates.SingleAsync(c => c.TokenSerial == token.Serial);
        Assert.Equal((IssuedCertificateStatus.Revoked, (int)RevocationReason.CessationOfOperation), (ledger.Status, ledger.RevocationReason!.Value));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenDelete && e.Serial == token.Serial && e.Success));
    }

    [Fact]
    public async Task ExecuteAsync_Helpdesk_ForbiddenAuditedAndTokenKept()
    {
        var token = await _core.EnrolCsrAsync("alice", "alice");

        var result = await DeleteAsync(TestPki.Helpdesk, token.Serial);

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        Assert.NotNull(await _core.FindTokenAsync(token.Serial));
        await using var db = _core.NewDb();
        Assert.Equal(IssuedCertificateStatus.Valid, (await db.IssuedCertificates.SingleAsync(c => c.TokenSerial == token.Serial)).Status);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenDelete && e.Serial == token.Serial && !e.Success));
    }

    [Fact]
    public async Task ExecuteAsync_RevokedToken_DeletedWithoutRevokingAgain()
    {
        var token = await _core.EnrolCsrAsync("alice", "alice");
        await _core.RevokeAsync(token.Serial, "superseded");

        var result = await DeleteAsync(TestPki.Admin, token.Serial);

        Assert.True(result.IsSuccess, result.Error?.Message);
        await using var db = _core.NewDb();
        Assert.Equal((int)RevocationReason.Superseded, (await db.IssuedCertificates.SingleAsync(c => c.TokenSerial == token.Serial)).RevocationReason);
    }

    private Task<Result> DeleteAsync(Core.Identity.Actor actor, string serial) =>
        _core.InScopeAsync(sp => sp.GetRequiredService<DeleteTokenCommand>().ExecuteAsync(actor, serial));
}
