using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Pending;
using CertTokenPortal.Core.Tokens.Renewal;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Tokens.Renewal;

/// <summary>A renewal through an approval CA waits; the token keeps its certificate until an admin approves.</summary>
[Trait("Category", "ExternalTool")]
public sealed class PendingRenewalTests(RenewalFixture fixture) : IClassFixture<RenewalFixture>, IDisposable
{
    private readonly CoreServices _core = fixture.Core;
    private readonly PolicyScenario _s = new(fixture.Core);
    private readonly TempDirectory _dir = new("ctp-pending-renewal");

    public void Dispose() => _dir.Dispose();

    private Task<Result<TokenView>> DecideAsync(Actor admin, string serial, bool approve, string? reason = null) =>
        _core.InScopeAsync(sp => sp.GetRequiredService<DecidePendingRequestCommand>().ExecuteAsync(admin, new DecisionRequest(serial, approve, reason)));

    private async Task<(Actor Owner, Actor Approver, TokenView Token)> ApprovedTokenAsync()
    {
        var owner = await _s.UserAsync();
        var approver = await _s.UserAsync("ada", PortalRoles.Admin);
        var pending = (await _s.EnrolCsrAsync(owner, ca: RenewalFixture.ApprovalCa)).Value.Token;
        var approved = await DecideAsync(approver, pending.Serial, true);
        Assert.True(approved.IsSuccess, approved.Error?.Message);
        return (owner, approver, approved.Value);
    }

    [Fact]
    public async Task ExecuteAsync_NewCsrAtApprovalCa_PendingTokenKeepsCertificateUntilApproved()
    {
        var (owner, approver, token) = await ApprovedTokenAsync();
        var csr = TestPki.OpenSslCsr(_dir, ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"], $"/CN={owner.UserName}");

        var renewal = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial) { Csr = csr });

        Assert.True(renewal.IsSuccess, renewal.Error?.Message);
        Assert.Equal("pending", renewal.Value.State);
        Assert.Matches("^APR-", renewal.Value.RequestId);
        var waiting = await _core.FindTokenAsync(token.Serial);
        Assert.Equal((RolloutState.Enrolled, token.CertificateSerial), (waiting!.RolloutState, waiting.CertificateSerial));
        Assert.Equal(RenewalErrors.AlreadyPending(token.Serial, renewal.Value.RequestId),
            (await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial) { Csr = csr })).Error);

        var listed = await _core.InScopeAsync(sp => sp.GetRequiredService<ListPendingRenewalsQuery>().ExecuteAsync(approver));
        Assert.Contains(listed.Value, r => r.Token.Serial == token.Serial && r.RequestId == renewal.Value.RequestId && r.Refusal is null);

        var approved = await DecideAsync(approver, token.Serial, true);

        Assert.True(approved.IsSuccess, approved.Error?.Message);
        Assert.NotEqual(token.CertificateSerial, approved.Value.CertificateSerial);
        File.WriteAllText(_dir.File("new.pem"), approved.Value.CertificatePem);
        Assert.Equal(ExternalTool.OpenSsl("pkey", "-in", _dir.File("req.key"), "-pubout").StdOut,
            ExternalTool.OpenSsl("x509", "-in", _dir.File("new.pem"), "-noout", "-pubkey").StdOut);
        var history = await _core.HistoryAsync(token.Serial);
        Assert.Equal([(TokenCertificateStates.Superseded, token.CertificateSerial), (TokenCertificateStates.Current, approved.Value.CertificateSerial)],
            history.Select(h => (h.State, h.CertificateSerial)));
        await using var db = _core.NewDb();
        Assert.Equal(2, await db.IssuedCertificates.CountAsync(i => i.TokenSerial == token.Serial));
    }

    [Fact]
    public async Task Deny_PendingRenewal_TokenKeepsItsCertificateAndTheRowSaysWhy()
    {
        var (owner, approver, token) = await ApprovedTokenAsync();
        var renewal = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial) { Csr = TestCsrs.Ec(owner.UserName) });
        Assert.True(renewal.IsSuccess, renewal.Error?.Message);

        var denied = await DecideAsync(approver, token.Serial, false, "not needed yet");

        Assert.True(denied.IsSuccess, denied.Error?.Message);
        Assert.Equal(token.CertificateSerial, denied.Value.CertificateSerial);
        var history = await _core.HistoryAsync(token.Serial);
        Assert.Equal([(TokenCertificateStates.Current, (string?)null), (TokenCertificateStates.Denied, "not needed yet")], history.Select(h => (h.State, h.Reason)));
    }

    [Fact]
    public async Task ExecuteAsync_SameKeyAtApprovalCa_ValidationAskingForACsr()
    {
        var (_, _, token) = await ApprovedTokenAsync();

        var result = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial));

        Assert.Equal(RenewalErrors.SameKeyNeedsCsr(token.Serial, RenewalFixture.ApprovalCa), result.Error);
        Assert.Single(await _core.HistoryAsync(token.Serial));
    }

    [Fact]
    public async Task Approve_ByTheAdminWhoAskedForTheRenewal_ForbiddenAndStillPending()
    {
        var (owner, approver, token) = await ApprovedTokenAsync();
        Assert.True((await _core.RenewAsync(approver, new RenewalRequest(token.Serial) { Csr = TestCsrs.Ec(owner.UserName) })).IsSuccess);

        var own = await DecideAsync(approver, token.Serial, true);

        Assert.Equal(ErrorKind.Forbidden, own.Error?.Kind);
        Assert.Equal(TokenCertificateStates.Pending, (await _core.HistoryAsync(token.Serial)).Last().State);
        Assert.Equal(token.CertificateSerial, (await _core.FindTokenAsync(token.Serial))!.CertificateSerial);
    }
}
