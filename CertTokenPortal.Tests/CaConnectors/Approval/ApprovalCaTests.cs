using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.CaConnectors.Approval;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Tokens.Lifecycle;
using CertTokenPortal.Core.Tokens.Pending;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.CaConnectors.Approval;

/// <summary>The approval-gated CA in Core: pending requests, approval and denial, who may decide, and the poller.</summary>
[Trait("Category", "ExternalTool")]
public sealed class ApprovalCaTests(ApprovalCaTests.Fixture fixture) : IClassFixture<ApprovalCaTests.Fixture>
{
    private const string ApprovalCa = "approvalCA";
    private readonly PolicyScenario _s = new(fixture.Core);

    /// <summary>Core with an approval CA in front of localCA, and a fake external CA whose answers the test sets.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public FakeExternalCa External { get; } = new();
        public CoreServices Core { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Core = await CoreServices.StartAsync(configure: s => s.AddSingleton<ICaConnectorFactory>(External));
            var created = await Core.InScopeAsync(sp => sp.GetRequiredService<CreateApprovalCaCommand>().ExecuteAsync(TestPki.Admin, ApprovalCa, "localCA"));
            Assert.True(created.IsSuccess, created.Error?.Message);
            await using var db = Core.NewDb();
            db.CaConnectors.Add(new CaConnectorRecord
            {
                Name = "externalCA", Type = FakeExternalCa.TypeName, DefaultTemplate = "user",
                Templates = [new CertificateTemplateRecord { Name = "user", ValidityDays = 30 }],
            });
            await db.SaveChangesAsync();
        }

        public async Task DisposeAsync() => await Core.DisposeAsync();
    }

    [Fact]
    public async Task Create_CopiesTheSignersTemplates()
    {
        var info = (await _s.Core.Get<ICaConnectorRegistry>().ListAsync()).Single(c => c.Name == ApprovalCa);

        Assert.Equal(ApprovalCaConnector.TypeName, info.Type);
        Assert.Equal("user", info.DefaultTemplate);
        Assert.Equal(["server", "user"], info.Templates.Select(t => t.Name));
    }

    [Theory]
    [InlineData("nowhereCA", "there is no CA connector named 'nowhereCA'")]
    [InlineData(ApprovalCa, "only a local CA can sign approved requests")]
    [InlineData("", "needs the local CA that signs approved requests")]
    public async Task Create_BadSigner_RefusedAndNothingSaved(string signer, string message)
    {
        var name = $"a{Guid.NewGuid():N}"[..12];

        var result = await Create(TestPki.Admin, name, signer);

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Contains(message, result.Error!.Message);
        await using var db = _s.Core.NewDb();
        Assert.False(await db.CaConnectors.AnyAsync(c => c.Name == name));
    }

    [Fact]
    public async Task Create_Helpdesk_Forbidden()
    {
        Assert.Equal(ErrorKind.Forbidden, (await Create(TestPki.Helpdesk, "helpdeskApproval", "localCA")).Error?.Kind);
    }

    [Fact]
    public async Task Enrol_Csr_StaysPendingWithRequestIdAndNoCertificate()
    {
        var alice = await _s.UserAsync();

        var result = await _s.EnrolCsrAsync(alice, ca: ApprovalCa);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var token = result.Value.Token;
        Assert.Equal(RolloutState.Pending, token.RolloutState);
        Assert.Matches("^APR-[0-9A-F]{16}$", token.RequestId);
        Assert.Null(token.CertificatePem);
        await using var db = _s.Core.NewDb();
        var stored = await db.PendingCertificateRequests.SingleAsync(p => p.RequestId == token.RequestId);
        Assert.Equal((PendingRequestStatus.Pending, alice.UserName, "user"), (stored.Status, stored.OwnerUserName, stored.TemplateName));
        Assert.False(await db.IssuedCertificates.AnyAsync(i => i.TokenSerial == token.Serial));
    }

    [Fact]
    public async Task Enrol_GeneratedKey_RefusedWithReasonAndNothingSaved()
    {
        var alice = await _s.UserAsync();

        var result = await _s.EnrolAsync(alice, new EnrolmentRequest { GenerateKey = true, KeyType = "ec", CaName = ApprovalCa });

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Contains("Send a certificate request (CSR) instead", result.Error!.Message);
        Assert.Equal(0, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task Approve_ByAnotherAdmin_SignerIssuesAndCertificateVerifiesWithOpenSsl()
    {
        var alice = await _s.UserAsync();
        var ada = await _s.UserAsync("ada", PortalRoles.Admin);
        var pending = (await _s.EnrolCsrAsync(alice, ca: ApprovalCa)).Value.Token;

        var approved = await Decide(d => d.ExecuteAsync(ada, new DecisionRequest(pending.Serial, Approve: true)));

        Assert.True(approved.IsSuccess, approved.Error?.Message);
        Assert.Equal(RolloutState.Enrolled, approved.Value.RolloutState);
        Assert.Equal(pending.RequestId, approved.Value.RequestId);
        Assert.True(approved.Value.Active);
        using var dir = new TempDirectory();
        var chain = await (await TestPki.ConnectorAsync<ICaCertificateChain>(_s.Core, ApprovalCa)).GetChainAsync(default);
        File.WriteAllText(dir.File("cert.pem"), approved.Value.CertificatePem);
        var verified = ExternalTool.OpenSsl("verify", "-CAfile", TestPki.WritePem(dir, "ca.pem", chain), dir.File("cert.pem"));
        Assert.Contains("OK", verified.StdOut);
        await using var db = _s.Core.NewDb();
        var ledger = await db.IssuedCertificates.SingleAsync(i => i.TokenSerial == pending.Serial);
        Assert.Equal(approved.Value.CertificateSerial, ledger.SerialNumber);
        Assert.Equal("localCA", (await db.CaConnectors.SingleAsync(c => c.Id == ledger.CaConnectorId)).Name);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenApprove && e.Success && e.Serial == pending.Serial && e.UserName == ada.UserName));
        Assert.Equal(PendingRequestStatus.Approved, (await db.PendingCertificateRequests.SingleAsync(p => p.RequestId == pending.RequestId)).Status);
    }

    [Fact]
    public async Task Approve_RequestMadeByTheAdmin_Forbidden()
    {
        var alice = await _s.UserAsync();
        var ada = await _s.UserAsync("ada", PortalRoles.Admin);
        var pending = (await _s.EnrolCsrAsync(ada, ca: ApprovalCa, forUser: alice.UserName)).Value.Token;

        var result = await Decide(d => d.ExecuteAsync(ada, new DecisionRequest(pending.Serial, Approve: true)));

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        Assert.Contains("was made by or for you; another admin must decide it", result.Error!.Message);
        Assert.Equal(RolloutState.Pending, await StateAsync(pending.Serial));
        await using var db = _s.Core.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenApprove && !e.Success && e.Serial == pending.Serial));
    }

    [Fact]
    public async Task Deny_RequestForTheAdminThemself_Forbidden()
    {
        var ada = await _s.UserAsync("ada", PortalRoles.Admin);
        // Another admin asks for her (helpdesk may not enrol for an account above its role).
        var bert = await _s.UserAsync("bert", PortalRoles.Admin);
        var pending = (await _s.EnrolCsrAsync(bert, ca: ApprovalCa, forUser: ada.UserName)).Value.Token;

        var result = await Decide(d => d.ExecuteAsync(ada, new DecisionRequest(pending.Serial, Approve: false, "not needed")));

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        Assert.Equal(RolloutState.Pending, await StateAsync(pending.Serial));
    }

    [Fact]
    public async Task Approve_Helpdesk_Forbidden()
    {
        var alice = await _s.UserAsync();
        var pending = (await _s.EnrolCsrAsync(alice, ca: ApprovalCa)).Value.Token;

        var result = await Decide(d => d.ExecuteAsync(TestPki.Helpdesk, new DecisionRequest(pending.Serial, Approve: true)));

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        Assert.Equal(RolloutState.Pending, await StateAsync(pending.Serial));
    }

    [Fact]
    public async Task Approve_Twice_SecondIsConflictAndIssuesNothingMore()
    {
        var alice = await _s.UserAsync();
        var pending = (await _s.EnrolCsrAsync(alice, ca: ApprovalCa)).Value.Token;
        Assert.True((await Decide(d => d.ExecuteAsync(TestPki.Admin, new DecisionRequest(pending.Serial, Approve: true)))).IsSuccess);

        var again = await Decide(d => d.ExecuteAsync(TestPki.Admin, new DecisionRequest(pending.Serial, Approve: true)));
        var denyAfter = await Decide(d => d.ExecuteAsync(TestPki.Admin, new DecisionRequest(pending.Serial, Approve: false, "too late")));

        Assert.Equal(ErrorKind.Conflict, again.Error?.Kind);
        Assert.Contains("is not pending (it is enrolled)", again.Error!.Message);
        Assert.Equal(ErrorKind.Conflict, denyAfter.Error?.Kind);
        await using var db = _s.Core.NewDb();
        Assert.Equal(1, await db.IssuedCertificates.CountAsync(i => i.TokenSerial == pending.Serial));
    }

    [Fact]
    public async Task Approve_TwoAdminsAtOnce_ExactlyOneIssues()
    {
        var alice = await _s.UserAsync();
        var ada = await _s.UserAsync("ada", PortalRoles.Admin);
        var pending = (await _s.EnrolCsrAsync(alice, ca: ApprovalCa)).Value.Token;

        var results = await Task.WhenAll(
            Task.Run(() => Decide(d => d.ExecuteAsync(TestPki.Admin, new DecisionRequest(pending.Serial, Approve: true)))),
            Task.Run(() => Decide(d => d.ExecuteAsync(ada, new DecisionRequest(pending.Serial, Approve: true)))),
            Task.Run(() => Decide(d => d.ExecuteAsync(ada, new DecisionRequest(pending.Serial, Approve: false, "no")))));

        Assert.Single(results, r => r.IsSuccess);
        Assert.Contains(results, r => !r.IsSuccess);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorKind.Conflict, r.Error!.Kind));
        await using var db = _s.Core.NewDb();
        Assert.True(await db.IssuedCertificates.CountAsync(i => i.TokenSerial == pending.Serial) <= 1);
    }

    [Fact]
    public async Task Deny_WithReason_TokenDeniedAndApprovalAfterwardsConflict()
    {
        var alice = await _s.UserAsync();
        var pending = (await _s.EnrolCsrAsync(alice, ca: ApprovalCa)).Value.Token;

        var denied = await Decide(d => d.ExecuteAsync(TestPki.Admin, new DecisionRequest(pending.Serial, Approve: false, "Use the VPN template instead.")));
        var approveAfter = await Decide(d => d.ExecuteAsync(TestPki.Admin, new DecisionRequest(pending.Serial, Approve: true)));

        Assert.True(denied.IsSuccess, denied.Error?.Message);
        Assert.Equal((RolloutState.Denied, "Use the VPN template instead.", false), (denied.Value.RolloutState, denied.Value.FailureMessage, denied.Value.Active));
        Assert.Null(denied.Value.CertificatePem);
        Assert.Equal(ErrorKind.Conflict, approveAfter.Error?.Kind);
        Assert.Contains("is not pending (it is denied)", approveAfter.Error!.Message);
        await using var db = _s.Core.NewDb();
        Assert.False(await db.IssuedCertificates.AnyAsync(i => i.TokenSerial == pending.Serial));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenDeny && e.Success && e.Serial == pending.Serial && e.Message.Contains("VPN template")));
    }

    [Fact]
    public async Task Deny_WithoutReason_RefusedAndStillPending()
    {
        var alice = await _s.UserAsync();
        var pending = (await _s.EnrolCsrAsync(alice, ca: ApprovalCa)).Value.Token;

        var result = await Decide(d => d.ExecuteAsync(TestPki.Admin, new DecisionRequest(pending.Serial, Approve: false, "  ")));

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Equal(RolloutState.Pending, await StateAsync(pending.Serial));
    }

    [Fact]
    public async Task Revoke_ApprovedToken_RevokedAtTheSignerAndListedInItsCrl()
    {
        var alice = await _s.UserAsync();
        var pending = (await _s.EnrolCsrAsync(alice, ca: ApprovalCa)).Value.Token;
        var approved = (await Decide(d => d.ExecuteAsync(TestPki.Admin, new DecisionRequest(pending.Serial, Approve: true)))).Value;

        var revoked = await _s.Core.InScopeAsync(sp => sp.GetRequiredService<RevokeTokenCommand>().ExecuteAsync(alice, pending.Serial, "keyCompromise"));

        Assert.True(revoked.IsSuccess, revoked.Error?.Message);
        var crl = await (await TestPki.ConnectorAsync<ICrlPublisher>(_s.Core, "localCA")).GetCurrentCrlAsync(default);
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("crl.der"), crl!.Der);
        var text = ExternalTool.OpenSsl("crl", "-inform", "DER", "-in", dir.File("crl.der"), "-noout", "-text").StdOut;
        Assert.Contains(approved.CertificateSerial!, text.Replace(":", "").ToUpperInvariant());
    }

    [Fact]
    public async Task Poll_ExternalCaDecides_TokensTakeTheSameStatesAsAnApproval()
    {
        var alice = await _s.UserAsync();
        var toIssue = (await _s.EnrolCsrAsync(alice, ca: "externalCA")).Value.Token;
        var toDeny = (await _s.EnrolCsrAsync(alice, ca: "externalCA")).Value.Token;
        var undecided = (await _s.EnrolCsrAsync(alice, ca: "externalCA")).Value.Token;
        var viaApproval = (await _s.EnrolCsrAsync(alice, ca: ApprovalCa)).Value.Token;
        var issued = await TestPki.IssueAsync(_s.Core, "localCA", TestCsrs.Rsa(alice.UserName), owner: new CertificateOwner(alice.UserName, alice.Realm, null));
        // An external CA keeps its own ledger: its answer carries no ledger line for the portal to record.
        fixture.External.Answers[toIssue.RequestId!] = new CaIssueOutcome.Issued(issued with { LedgerEntry = null });
        fixture.External.Answers[toDeny.RequestId!] = new CaIssueOutcome.Denied("The CA manager said no.", toDeny.RequestId);

        var changed = await Poll();
        var changedAgain = await Poll();

        Assert.True(changed >= 2, $"{changed} tokens changed"); // other tests' external tokens may be decided too
        Assert.Equal(0, changedAgain);
        var enrolled = await GetAsync(toIssue.Serial);
        Assert.Equal((RolloutState.Enrolled, issued.SerialHex), (enrolled.RolloutState, enrolled.CertificateSerial));
        var denied = await GetAsync(toDeny.Serial);
        Assert.Equal((RolloutState.Denied, "The CA manager said no."), (denied.RolloutState, denied.FailureMessage));
        Assert.Equal(RolloutState.Pending, await StateAsync(undecided.Serial));
        Assert.Equal(RolloutState.Pending, await StateAsync(viaApproval.Serial));
        await using var db = _s.Core.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenApprove && e.Serial == toIssue.Serial && e.UserName == "system"));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenDeny && e.Serial == toDeny.Serial && e.UserName == "system"));
    }

    [Fact]
    public async Task Approve_TokenOfACaThatDecidesItself_Conflict()
    {
        var alice = await _s.UserAsync();
        var pending = (await _s.EnrolCsrAsync(alice, ca: "externalCA")).Value.Token;

        var result = await Decide(d => d.ExecuteAsync(TestPki.Admin, new DecisionRequest(pending.Serial, Approve: true)));

        Assert.Equal(ErrorKind.Conflict, result.Error?.Kind);
        Assert.Contains("which decides on its own", result.Error!.Message);
    }

    [Fact]
    public async Task DeleteCa_WithPendingRequests_RefusedUntilDecided()
    {
        var name = $"ap{Guid.NewGuid():N}"[..12];
        Assert.True((await Create(TestPki.Admin, name, "localCA")).IsSuccess);
        var alice = await _s.UserAsync();
        var pending = (await _s.EnrolCsrAsync(alice, ca: name)).Value.Token;

        var refused = await _s.Core.InScopeAsync(sp => sp.GetRequiredService<DeleteCaCommand>().ExecuteAsync(TestPki.Admin, name));
        await Decide(d => d.ExecuteAsync(TestPki.Admin, new DecisionRequest(pending.Serial, Approve: false, "closing this CA")));
        var deleted = await _s.Core.InScopeAsync(sp => sp.GetRequiredService<DeleteCaCommand>().ExecuteAsync(TestPki.Admin, name));

        Assert.Equal(ErrorKind.Conflict, refused.Error?.Kind);
        Assert.Contains("1 request(s) waiting for a decision", refused.Error!.Message);
        Assert.True(deleted.IsSuccess, deleted.Error?.Message);
    }

    private Task<Result<CaConnectorInfo>> Create(Actor actor, string name, string signer) =>
        _s.Core.InScopeAsync(sp => sp.GetRequiredService<CreateApprovalCaCommand>().ExecuteAsync(actor, name, signer));

    private Task<Result<TokenView>> Decide(Func<DecidePendingRequestCommand, Task<Result<TokenView>>> decide) =>
        _s.Core.InScopeAsync(sp => decide(sp.GetRequiredService<DecidePendingRequestCommand>()));

    private Task<int> Poll() => _s.Core.InScopeAsync(sp => sp.GetRequiredService<PendingRequestPoller>().PollAsync(default));

    private async Task<TokenView> GetAsync(string serial) =>
        (await _s.Core.InScopeAsync(sp => sp.GetRequiredService<GetTokenQuery>().ExecuteAsync(TestPki.Admin, serial))).Value;

    private async Task<RolloutState> StateAsync(string serial) => (await GetAsync(serial)).RolloutState;
}
