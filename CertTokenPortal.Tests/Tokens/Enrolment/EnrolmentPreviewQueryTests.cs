using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Tokens.Enrolment;

/// <summary>The wizard's preview of an enrolment: counts against the quotas, the route, and what a policy would refuse.</summary>
[Trait("Category", "Unit")]
public sealed class EnrolmentPreviewQueryTests(EnrolmentPolicyTests.Fixture fixture) : IClassFixture<EnrolmentPolicyTests.Fixture>
{
    private readonly PolicyScenario _s = new(fixture.Core);

    [Fact]
    public async Task ExecuteAsync_UnderQuota_CountsHeldOfAllowedAndNoRefusal()
    {
        var alice = await _s.UserAsync();
        await _s.PolicyAsync("max_token_per_user=3");
        await EnrolAsync(alice, 2);

        var preview = await PreviewAsync(alice, Csr(alice));

        Assert.Null(preview.Refusal);
        Assert.Equal((2, 3), (preview.Held, preview.MaxTokens!.Value));
        Assert.StartsWith($"{alice.UserName} holds 2 of 3 allowed", preview.HoldingText);
        Assert.Equal(new EnrolmentRoute("localCA", "user", NeedsApproval: false), preview.Route);
    }

    [Fact]
    public async Task ExecuteAsync_QuotaReached_ConflictNamingPolicyAndNothingSaved()
    {
        var alice = await _s.UserAsync();
        var policy = await _s.PolicyAsync("max_token_per_user=1");
        await EnrolAsync(alice, 1);

        var preview = await PreviewAsync(alice, Csr(alice));

        Assert.Equal(ErrorKind.Conflict, preview.Refusal?.Kind);
        Assert.Contains($"Policy '{policy.Name}'", preview.Refusal!.Message);
        Assert.StartsWith($"{alice.UserName} holds 1 of 1 allowed", preview.HoldingText);
        Assert.Equal(1, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task ExecuteAsync_ActiveQuota_ShowsActiveCount()
    {
        var alice = await _s.UserAsync();
        await _s.PolicyAsync("max_active_token_per_user=2");
        await EnrolAsync(alice, 1);

        var preview = await PreviewAsync(alice, Csr(alice));

        Assert.Null(preview.Refusal);
        Assert.StartsWith("1 of 2 active allowed", preview.ActiveText);
    }

    [Fact]
    public async Task ExecuteAsync_PolicyForcesApprovalCa_RouteNeedsApproval()
    {
        var alice = await _s.UserAsync();
        await _s.PolicyAsync($"certificate_ca_connector={EnrolmentPolicyTests.Fixture.ApprovalCa}");

        var preview = await PreviewAsync(alice, Csr(alice) with { CaName = null });

        Assert.Null(preview.Refusal);
        Assert.Equal(EnrolmentPolicyTests.Fixture.ApprovalCa, preview.Route?.CaName);
        Assert.True(preview.Route!.NeedsApproval);
    }

    [Fact]
    public async Task ExecuteAsync_NoPolicy_NoLimitAndDirectRoute()
    {
        var alice = await _s.UserAsync();
        await EnrolAsync(alice, 1);

        var preview = await PreviewAsync(alice, Csr(alice));

        Assert.Null(preview.Refusal);
        Assert.Null(preview.MaxTokens);
        Assert.Null(preview.ActiveText);
        Assert.Equal($"{alice.UserName} holds 1; no limit applies", preview.HoldingText);
        Assert.False(preview.Route!.NeedsApproval);
    }

    [Fact]
    public async Task ExecuteAsync_TemplateNotAllowed_ForbiddenNamingPolicy()
    {
        var alice = await _s.UserAsync();
        var policy = await _s.PolicyAsync("allowed_templates=server");

        var preview = await PreviewAsync(alice, Csr(alice) with { TemplateName = "user" });

        Assert.Equal(ErrorKind.Forbidden, preview.Refusal?.Kind);
        Assert.Contains($"Policy '{policy.Name}'", preview.Refusal!.Message);
    }

    [Fact]
    public async Task ExecuteAsync_UploadNotAllowed_RefusedAsEnrolmentRefuses()
    {
        var alice = await _s.UserAsync();
        var issued = await _s.EnrolCsrAsync(alice);
        var policy = await _s.PolicyAsync("certificate_allow_upload=false");

        var preview = await PreviewAsync(alice, new EnrolmentRequest { CertificatePem = issued.Value.Token.CertificatePem });

        Assert.Equal(EnrolmentErrors.UploadNotAllowed(policy.Name), preview.Refusal);
        Assert.Null(preview.Route);
    }

    [Fact]
    public async Task ExecuteAsync_UploadUnderApprovalPolicy_RouteWaitsForApproverAsEnrolmentHoldsIt()
    {
        var alice = await _s.UserAsync();
        var issued = await _s.EnrolCsrAsync(alice);
        var policy = await _s.PolicyAsync($"certificate_ca_connector={EnrolmentPolicyTests.Fixture.ApprovalCa}");
        var upload = new EnrolmentRequest { CertificatePem = issued.Value.Token.CertificatePem };

        var preview = await PreviewAsync(alice, upload);
        var enrolled = await _s.EnrolAsync(alice, upload);

        Assert.Null(preview.Refusal);
        Assert.Equal(new EnrolmentRoute(EnrolmentPolicyTests.Fixture.ApprovalCa, null, NeedsApproval: true) { ApprovalPolicy = policy.Name }, preview.Route);
        Assert.True(enrolled.IsSuccess, enrolled.Error?.Message);
        Assert.Equal(RolloutState.Pending, enrolled.Value.Token.RolloutState);
    }

    [Fact]
    public async Task ExecuteAsync_UploadWithoutApprovalPolicy_NoRouteAndNoRefusal()
    {
        var alice = await _s.UserAsync();
        var issued = await _s.EnrolCsrAsync(alice);

        var preview = await PreviewAsync(alice, new EnrolmentRequest { CertificatePem = issued.Value.Token.CertificatePem });

        Assert.Null(preview.Refusal);
        Assert.Null(preview.Route);
    }

    [Fact]
    public async Task ExecuteAsync_HelpdeskForUnknownUser_ValidationError()
    {
        var helpdesk = await _s.UserAsync("h", PortalRoles.Helpdesk);

        var result = await Query(helpdesk, Csr(helpdesk) with { UserName = "nobody-here" });

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
    }

    private static EnrolmentRequest Csr(Actor owner) => new() { Csr = TestCsrs.Rsa(owner.UserName), CaName = "localCA", TemplateName = "user" };

    private async Task EnrolAsync(Actor owner, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var result = await _s.EnrolCsrAsync(owner);
            Assert.True(result.IsSuccess, result.Error?.Message);
        }
    }

    private async Task<EnrolmentPreview> PreviewAsync(Actor actor, EnrolmentRequest request)
    {
        var result = await Query(actor, request);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    private Task<Result<EnrolmentPreview>> Query(Actor actor, EnrolmentRequest request) =>
        _s.Core.InScopeAsync(sp => sp.GetRequiredService<EnrolmentPreviewQuery>().ExecuteAsync(actor, request));
}
