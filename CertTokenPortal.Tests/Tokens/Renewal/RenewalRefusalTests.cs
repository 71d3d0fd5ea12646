using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Tokens.Renewal;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Tokens.Renewal;

/// <summary>Renewals that must be refused: each a clear 4xx error, and nothing written but the audit entry.</summary>
[Trait("Category", "Unit")]
public sealed class RenewalRefusalTests(RenewalFixture fixture) : IClassFixture<RenewalFixture>
{
    private readonly CoreServices _core = fixture.Core;
    private readonly PolicyScenario _s = new(fixture.Core);

    private async Task<(Actor Owner, TokenView Token)> EnrolledAsync()
    {
        var owner = await _s.UserAsync();
        return (owner, (await _s.EnrolCsrAsync(owner)).Value.Token);
    }

    /// <summary>The token, its history and its ledger lines are as before, and the refusal was audited.</summary>
    private async Task AssertNothingWrittenAsync(TokenView before, string auditAction = AuditActions.TokenRenew)
    {
        var after = await _core.FindTokenAsync(before.Serial);
        Assert.Equal((before.CertificateSerial, before.CertificatePem), (after!.CertificateSerial, after.CertificatePem));
        Assert.Equal(before.RolloutState, after.RolloutState);
        Assert.Single(await _core.HistoryAsync(before.Serial));
        Assert.Equal(1, await _core.LedgerLinesAsync(before.Serial));
        await using var db = _core.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Serial == before.Serial && e.Action == auditAction && !e.Success));
    }

    [Theory]
    [InlineData("keyCompromise", false)]
    [InlineData("superseded", false)]
    [InlineData("keyCompromise", true)]
    public async Task ExecuteAsync_RevokedToken_TokenLockedAndNothingWritten(string reason, bool newKey)
    {
        var (_, token) = await EnrolledAsync();
        await _core.RevokeAsync(token.Serial, reason);

        var result = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial) { Csr = newKey ? TestCsrs.Ec("x") : null });

        var expected = reason == "keyCompromise" && !newKey ? RenewalErrors.KeyCompromised(token.Serial) : RenewalErrors.Revoked(token.Serial, reason);
        Assert.Equal(expected, result.Error);
        Assert.Equal(ErrorKind.Validation, result.Error!.Kind);
        Assert.Single(await _core.HistoryAsync(token.Serial));
        Assert.Equal(1, await _core.LedgerLinesAsync(token.Serial));
    }

    [Fact]
    public async Task ExecuteAsync_HeldToken_ConflictReleaseFirst()
    {
        var (_, token) = await EnrolledAsync();
        await _core.RevokeAsync(token.Serial, "certificateHold");

        var result = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial));

        Assert.Equal(RenewalErrors.OnHold(token.Serial), result.Error);
        Assert.Single(await _core.HistoryAsync(token.Serial));
    }

    [Fact]
    public async Task ExecuteAsync_OwnerOutsideWindow_ValidationWithTheOpeningDateAndNothingWritten()
    {
        var (owner, token) = await EnrolledAsync();

        var result = await _core.RenewAsync(owner, new RenewalRequest(token.Serial));

        var opens = token.NotAfter!.Value.AddDays(-30);
        Assert.Equal(RenewalErrors.OutsideWindow(token.Serial, opens, 30), result.Error);
        Assert.Contains(opens.ToString("yyyy-MM-dd"), result.Error!.Message);
        await AssertNothingWrittenAsync(token);
    }

    [Fact]
    public async Task ExecuteAsync_StaffOutsideWindow_Renewed()
    {
        var (_, token) = await EnrolledAsync();

        var result = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial));

        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    [Fact]
    public async Task ExecuteAsync_KeyWeakerThanPolicy_ForbiddenNamingThePolicyAndNothingWritten()
    {
        var (_, token) = await EnrolledAsync();
        var policy = await _s.PolicyAsync("key_rules=ec:P-384");

        var result = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial) { Csr = TestCsrs.Ec("x") });

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        Assert.Contains(policy.Name, result.Error!.Message);
        await AssertNothingWrittenAsync(token, AuditActions.TokenRekey);
    }

    [Fact]
    public async Task ExecuteAsync_SomeoneElsesTokenAsUser_NotFoundAndNothingWritten()
    {
        var (_, token) = await EnrolledAsync();
        var mallory = await _s.UserAsync("mal");

        var result = await _core.RenewAsync(mallory, new RenewalRequest(token.Serial));

        Assert.Equal(TokenAccess.NotFound(token.Serial), result.Error);
        await AssertNothingWrittenAsync(token);
    }

    [Fact]
    public async Task ExecuteAsync_TemplateForbidsSameKey_ValidationAskingForANewKey()
    {
        var (_, token) = await EnrolledAsync();
        await using (var db = _core.NewDb())
        {
            await db.CertificateTemplates.Where(t => t.CaConnector.Name == "localCA" && t.Name == token.TemplateName)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.AllowSameKeyRenewal, false));
        }
        try
        {
            var result = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial));

            Assert.Equal(RenewalErrors.SameKeyForbidden(token.Serial, token.TemplateName!), result.Error);
            await AssertNothingWrittenAsync(token);
        }
        finally
        {
            await using var db = _core.NewDb();
            await db.CertificateTemplates.ExecuteUpdateAsync(s => s.SetProperty(t => t.AllowSameKeyRenewal, true));
        }
    }

    [Fact]
    public async Task ExecuteAsync_BadCsrOrKeySpec_ValidationAndNothingWritten()
    {
        var (_, token) = await EnrolledAsync();

        var weak = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial) { Csr = TestCsrs.WeakRsa1024("x") });
        var tampered = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial) { Csr = TestCsrs.Tampered("x") });
        var badCurve = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(token.Serial) { GenerateKey = true, KeyType = "ec", Curve = "P-1" });

        Assert.All([weak, tampered, badCurve], r => Assert.Equal(ErrorKind.Validation, r.Error?.Kind));
        await AssertNothingWrittenAsync(token, AuditActions.TokenRekey);
    }

    [Fact]
    public async Task ExecuteAsync_TwiceAtOnce_ExactlyOneWinsTheOtherConflictsAndLeavesNothing()
    {
        var (_, token) = await EnrolledAsync();
        var request = new RenewalRequest(token.Serial) { GenerateKey = true, KeyType = "rsa", KeySize = "3072" };

        var results = await Task.WhenAll(
            Task.Run(() => _core.RenewAsync(TestPki.Helpdesk, request)),
            Task.Run(() => _core.RenewAsync(TestPki.Admin, request)));

        Assert.Single(results, r => r.IsSuccess);
        Assert.Equal(RenewalErrors.Concurrent(token.Serial), Assert.Single(results, r => !r.IsSuccess).Error);
        var winner = results.Single(r => r.IsSuccess).Value.Token;
        Assert.Equal(winner.CertificateSerial, (await _core.FindTokenAsync(token.Serial))!.CertificateSerial);
        Assert.Equal(2, (await _core.HistoryAsync(token.Serial)).Count);
        Assert.Equal(2, await _core.LedgerLinesAsync(token.Serial));
    }

    [Fact]
    public async Task ExecuteAsync_UnknownOrPendingToken_NotFoundOrConflict()
    {
        var owner = await _s.UserAsync();
        var pending = (await _s.EnrolCsrAsync(owner, ca: RenewalFixture.ApprovalCa)).Value.Token;

        var unknown = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest("CRT00000000"));
        var notEnrolled = await _core.RenewAsync(TestPki.Helpdesk, new RenewalRequest(pending.Serial) { Csr = TestCsrs.Ec("x") });

        Assert.Equal(ErrorKind.NotFound, unknown.Error?.Kind);
        Assert.Equal(RenewalErrors.NotEnrolled(pending.Serial, RolloutState.Pending), notEnrolled.Error);
        Assert.Empty(await _core.HistoryAsync(pending.Serial));
    }
}
