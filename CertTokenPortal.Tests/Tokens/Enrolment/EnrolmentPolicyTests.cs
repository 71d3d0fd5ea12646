using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Tokens.Lifecycle;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using CertTokenPortal.Core.CaConnectors.Local.Administration;
using CertTokenPortal.Core.CaConnectors.Templates;

namespace CertTokenPortal.Tests.Tokens.Enrolment;

/// <summary>Each enrolment action's effect through the Core token service (the same service the wizard calls).</summary>
[Trait("Category", "Unit")]
public sealed class EnrolmentPolicyTests(EnrolmentPolicyTests.Fixture fixture) : IClassFixture<EnrolmentPolicyTests.Fixture>
{
    private readonly PolicyScenario _s = new(fixture.Core);

    /// <summary>Core with a second CA ("otherCA", EC, fast to make) next to the seeded localCA.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public const string ApprovalCa = "approvalCA";

        public CoreServices Core { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Core = await CoreServices.StartAsync();
            var created = await Core.InScopeAsync(sp => sp.GetRequiredService<CreateLocalRootCaCommand>()
                .ExecuteAsync(TestPki.Admin, new NewRootCaRequest("otherCA", "CN=Other CA") { KeyType = "ec", Curve = "P-256" }));
            Assert.True(created.IsSuccess, created.Error?.Message);
            var template = await Core.InScopeAsync(sp => sp.GetRequiredService<SetTemplateCommand>()
                .ExecuteAsync(TestPki.Admin, "otherCA", new TemplateRequest("vpn", 30) { KeyUsage = "digitalSignature", ExtendedKeyUsage = "clientAuth", MakeDefault = true }));
            Assert.True(template.IsSuccess, template.Error?.Message);
            var approval = await Core.InScopeAsync(sp => sp.GetRequiredService<CertTokenPortal.Core.CaConnectors.Approval.CreateApprovalCaCommand>()
                .ExecuteAsync(TestPki.Admin, ApprovalCa, "localCA"));
            Assert.True(approval.IsSuccess, approval.Error?.Message);
        }

        public async Task DisposeAsync() => await Core.DisposeAsync();
    }

    [Fact]
    public async Task Enrol_PolicyForcesCa_NoCaGiven_IssuesFromThatCa()
    {
        var alice = await _s.UserAsync();
        await _s.PolicyAsync("certificate_ca_connector=otherCA");

        var result = await _s.EnrolCsrAsync(alice, ca: null);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(("otherCA", "vpn"), (result.Value.Token.CaName, result.Value.Token.TemplateName));
        Assert.Equal("CN=Other CA", result.Value.Token.Issuer);
    }

    [Fact]
    public async Task Enrol_PolicyForcesCa_OtherCaGiven_ForbiddenNamingPolicyAndNothingSaved()
    {
        var alice = await _s.UserAsync();
        var policy = await _s.PolicyAsync("certificate_ca_connector=otherCA");

        var result = await _s.EnrolCsrAsync(alice, ca: "localCA");

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        Assert.Equal($"Policy '{policy.Name}' requires the CA 'otherCA'; 'localCA' may not be used.", result.Error!.Message);
        Assert.Equal(0, _s.TokenCount(alice.UserName));
        await using var db = _s.Core.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenEnrol && !e.Success && e.UserName == alice.UserName && e.Message.Contains(policy.Name)));
    }

    [Fact]
    public async Task Enrol_PolicyForcesTemplate_ReplacesDefaultAndRefusesAnotherOne()
    {
        var alice = await _s.UserAsync();
        var policy = await _s.PolicyAsync("certificate_template=server");

        var defaulted = await _s.EnrolCsrAsync(alice);
        var other = await _s.EnrolCsrAsync(alice, template: "user");

        Assert.Equal("server", defaulted.Value.Token.TemplateName);
        Assert.Equal(ErrorKind.Forbidden, other.Error?.Kind);
        Assert.Contains($"Policy '{policy.Name}' requires the template 'server'", other.Error!.Message);
        Assert.Equal(1, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task Enrol_AllowedTemplates_OthersRefusedListedOneIssued()
    {
        var alice = await _s.UserAsync();
        var policy = await _s.PolicyAsync("allowed_templates=server");

        var defaultTemplate = await _s.EnrolCsrAsync(alice);
        var allowed = await _s.EnrolCsrAsync(alice, template: "server");

        Assert.Equal(ErrorKind.Forbidden, defaultTemplate.Error?.Kind);
        Assert.Equal($"Policy '{policy.Name}' allows only the templates 'server'; 'user' may not be used.", defaultTemplate.Error!.Message);
        Assert.True(allowed.IsSuccess, allowed.Error?.Message);
    }

    [Fact]
    public async Task Enrol_SubjectComponentPolicy_GeneratedKeySubjectGetsEmailAndRealm()
    {
        var alice = await _s.UserAsync();
        await _s.PolicyAsync("certificate_request_subject_component=email realm");

        var generated = await _s.EnrolAsync(alice, new EnrolmentRequest { GenerateKey = true, KeyType = "ec", CaName = "localCA" });
        var csr = await _s.EnrolCsrAsync(alice);

        Assert.True(generated.IsSuccess, generated.Error?.Message);
        using var certificate = X509Certificate2.CreateFromPem(generated.Value.Token.CertificatePem);
        Assert.Contains($"E={alice.UserName}@example.test", certificate.Subject);
        Assert.Contains($"OU={_s.Realm}", certificate.Subject);
        // Only generated keys get them; a CSR keeps its own subject.
        Assert.Equal($"CN={alice.UserName}", csr.Value.Token.Subject);
    }

    [Fact]
    public async Task Enrol_KeyRules_WeakerCsrKeysRefusedAllowedOnesIssued()
    {
        var alice = await _s.UserAsync();
        var policy = await _s.PolicyAsync("key_rules=rsa>=3072 ec:P-384");
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var rsa2048 = await _s.EnrolCsrAsync(alice, TestCsrs.Rsa(alice.UserName));
        var ec256 = await _s.EnrolCsrAsync(alice, TestAttestationPki.Csr(p256, alice.UserName));
        var ec384 = await _s.EnrolCsrAsync(alice, TestAttestationPki.Csr(p384, alice.UserName));

        Assert.Equal(ErrorKind.Forbidden, rsa2048.Error?.Kind);
        Assert.Equal($"Policy '{policy.Name}' allows only keys of RSA of at least 3072 bits or EC on P-384; this request has RSA 2048.", rsa2048.Error!.Message);
        Assert.Contains("this request has EC P-256", ec256.Error!.Message);
        Assert.True(ec384.IsSuccess, ec384.Error?.Message);
        Assert.Equal(1, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task Enrol_KeyRules_GeneratedKeyBelowRuleRefusedAllowedOneIssued()
    {
        var alice = await _s.UserAsync();
        await _s.PolicyAsync("key_rules=ec:P-384");

        var rsa = await _s.EnrolAsync(alice, new EnrolmentRequest { GenerateKey = true, KeyType = "rsa", CaName = "localCA" });
        var ec = await _s.EnrolAsync(alice, new EnrolmentRequest { GenerateKey = true, KeyType = "ec", Curve = "P-384", CaName = "localCA" });

        Assert.Equal(ErrorKind.Forbidden, rsa.Error?.Kind);
        Assert.Contains("this request has RSA 2048", rsa.Error!.Message);
        Assert.True(ec.IsSuccess, ec.Error?.Message);
        Assert.Equal("EC P-384", ec.Value.Token.KeyDescription);
    }

    [Fact]
    public async Task Enrol_PinRules_WeakPassphraseRefusedStrongOrGeneratedAccepted()
    {
        var alice = await _s.UserAsync();
        var policy = await _s.PolicyAsync("pin_rules=min=10 classes=3");
        EnrolmentRequest Genkey(string? pin) => new() { GenerateKey = true, KeyType = "ec", CaName = "localCA", Pin = pin };

        var weak = await _s.EnrolAsync(alice, Genkey("password"));
        var strong = await _s.EnrolAsync(alice, Genkey("Correct-Horse-7"));
        var random = await _s.EnrolAsync(alice, Genkey(null));

        Assert.Equal(ErrorKind.Forbidden, weak.Error?.Kind);
        Assert.Contains($"Policy '{policy.Name}' refuses this PKCS#12 passphrase", weak.Error!.Message);
        Assert.Contains("at least 10 character(s)", weak.Error.Message);
        Assert.True(strong.IsSuccess, strong.Error?.Message);
        Assert.True(random.IsSuccess, random.Error?.Message);
        Assert.NotNull(random.Value.Pkcs12Password);
        Assert.Equal(2, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task Enrol_MaxTokenUser_ReachedAnswersConflictNamingPolicy()
    {
        var alice = await _s.UserAsync();
        var policy = await _s.PolicyAsync("max_token_per_user=2");

        Assert.True((await _s.EnrolCsrAsync(alice)).IsSuccess);
        Assert.True((await _s.EnrolCsrAsync(alice)).IsSuccess);
        var third = await _s.EnrolCsrAsync(alice);

        Assert.Equal(ErrorKind.Conflict, third.Error?.Kind);
        Assert.Equal($"Policy '{policy.Name}' allows {alice.UserName} at most 2 certificate token(s); 2 are held already.", third.Error!.Message);
        Assert.Equal(2, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task Enrol_MaxActiveTokenUser_DisabledTokenFreesTheSlot()
    {
        var alice = await _s.UserAsync();
        await _s.PolicyAsync("max_active_token_per_user=1");
        var first = await _s.EnrolCsrAsync(alice);

        var second = await _s.EnrolCsrAsync(alice);
        var disabled = await _s.Core.InScopeAsync(sp => sp.GetRequiredService<SetTokenActiveCommand>().ExecuteAsync(alice, first.Value.Token.Serial, false));
        var third = await _s.EnrolCsrAsync(alice);

        Assert.Equal(ErrorKind.Conflict, second.Error?.Kind);
        Assert.Contains("at most 1 active certificate token(s)", second.Error!.Message);
        Assert.True(disabled.IsSuccess, disabled.Error?.Message);
        Assert.True(third.IsSuccess, third.Error?.Message);
    }

    [Fact]
    public async Task Enable_AtMaxActiveTokenUser_RefusedSoDisablingCannotGetRoundTheQuota()
    {
        var alice = await _s.UserAsync();
        var policy = await _s.PolicyAsync("max_active_token_per_user=1");
        var first = (await _s.EnrolCsrAsync(alice)).Value.Token.Serial;
        SetTokenActiveCommand SetActive(IServiceProvider sp) => sp.GetRequiredService<SetTokenActiveCommand>();
        Assert.True((await _s.Core.InScopeAsync(sp => SetActive(sp).ExecuteAsync(alice, first, false))).IsSuccess);
        var second = (await _s.EnrolCsrAsync(alice)).Value.Token.Serial;

        var enableFirst = await _s.Core.InScopeAsync(sp => SetActive(sp).ExecuteAsync(alice, first, true));
        var enableActive = await _s.Core.InScopeAsync(sp => SetActive(sp).ExecuteAsync(alice, second, true));

        Assert.Equal(ErrorKind.Conflict, enableFirst.Error?.Kind);
        Assert.Contains($"Policy '{policy.Name}' allows {alice.UserName} at most 1 active certificate token(s)", enableFirst.Error!.Message);
        Assert.True(enableActive.IsSuccess, enableActive.Error?.Message); // already active: nothing new
        await using var db = _s.Core.NewDb();
        Assert.False((await db.Tokens.SingleAsync(t => t.Serial == first)).Active);
    }

    [Fact]
    public async Task Enrol_QuotaAtLimitMinusOne_ParallelEnrolmentsOnlyOneSucceeds()
    {
        var alice = await _s.UserAsync();
        await _s.PolicyAsync("max_token_per_user=3");
        Assert.True((await _s.EnrolCsrAsync(alice)).IsSuccess);
        Assert.True((await _s.EnrolCsrAsync(alice)).IsSuccess);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => _s.EnrolCsrAsync(alice))));

        Assert.Single(results, r => r.IsSuccess);
        Assert.Contains(results, r => !r.IsSuccess);
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorKind.Conflict, r.Error!.Kind));
        Assert.Equal(3, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task Enrol_PolicyOfAnotherRealm_DoesNotApply()
    {
        var alice = await _s.UserAsync();
        await _s.PolicyAsync("max_token_per_user=0", realms: "some-other-realm");

        Assert.True((await _s.EnrolCsrAsync(alice)).IsSuccess);
    }

    [Fact]
    public async Task Enrol_RoleScope_OwnersRolePolicyBindsHelpdeskEnrollingForThem()
    {
        var alice = await _s.UserAsync();
        var helen = await _s.UserAsync("h", PortalRoles.Helpdesk);
        var policy = await _s.PolicyAsync("certificate_ca_connector=otherCA", roles: "user");

        var forAlice = await _s.EnrolCsrAsync(helen, ca: "localCA", forUser: alice.UserName);
        var forHerself = await _s.EnrolCsrAsync(helen, ca: "localCA");

        // alice's policy governs whoever enrols for her; helen's own tokens are not bound by a user policy.
        Assert.Equal(ErrorKind.Forbidden, forAlice.Error?.Kind);
        Assert.Contains(policy.Name, forAlice.Error!.Message);
        Assert.Equal(0, _s.TokenCount(alice.UserName));
        Assert.True(forHerself.IsSuccess, forHerself.Error?.Message);
    }

    [Fact]
    public async Task Enrol_HelpdeskForAlice_ForcedToAlicesApprovalCa()
    {
        var alice = await _s.UserAsync();
        var helen = await _s.UserAsync("h", PortalRoles.Helpdesk);
        await _s.PolicyAsync($"certificate_ca_connector={Fixture.ApprovalCa}", roles: "user");

        var noCaGiven = await _s.EnrolCsrAsync(helen, ca: null, forUser: alice.UserName);
        var localAsked = await _s.EnrolCsrAsync(helen, ca: "localCA", forUser: alice.UserName);

        Assert.True(noCaGiven.IsSuccess, noCaGiven.Error?.Message);
        Assert.Equal((Fixture.ApprovalCa, RolloutState.Pending), (noCaGiven.Value.Token.CaName, noCaGiven.Value.Token.RolloutState));
        Assert.Equal(ErrorKind.Forbidden, localAsked.Error?.Kind);
        Assert.Equal(1, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task Enrol_HelpdeskForAdmin_ForbiddenAndNothingSaved()
    {
        var helen = await _s.UserAsync("h", PortalRoles.Helpdesk);
        var boss = await _s.UserAsync("a", PortalRoles.Admin);

        var result = await _s.EnrolAsync(helen, new EnrolmentRequest
        {
            UserName = boss.UserName, CaName = "localCA", GenerateKey = true, KeyType = "ec", Curve = "P-256",
        });

        Assert.Equal(EnrolmentErrors.OwnerAboveActor(boss.UserName, PortalRoles.Admin, PortalRoles.Helpdesk), result.Error);
        Assert.Equal(0, _s.TokenCount(boss.UserName));
        await using var db = _s.Core.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenEnrol && !e.Success && e.UserName == helen.UserName));
    }

    [Fact]
    public async Task Enrol_UserAsksForStaffOnlyServerTemplate_ForbiddenUnlessPolicyAllows()
    {
        var alice = await _s.UserAsync();
        var csr = TestCsrs.Rsa(alice.UserName);

        var refused = await _s.EnrolCsrAsync(alice, csr, template: "server");
        await _s.PolicyAsync("allowed_templates=user server");
        var allowed = await _s.EnrolCsrAsync(alice, csr, template: "server");

        Assert.Equal(EnrolmentErrors.StaffOnlyTemplate("server"), refused.Error);
        Assert.True(allowed.IsSuccess, allowed.Error?.Message);
        Assert.Equal(1, _s.TokenCount(alice.UserName));
    }

    [Fact]
    public async Task Revoke_UserMayRevokeFalse_OwnerRefusedHelpdeskMay()
    {
        var alice = await _s.UserAsync();
        var helen = await _s.UserAsync("h", PortalRoles.Helpdesk);
        var policy = await _s.PolicyAsync("user_may_revoke=false");
        var serial = (await _s.EnrolCsrAsync(alice)).Value.Token.Serial;
        RevokeTokenCommand Revoke(IServiceProvider sp) => sp.GetRequiredService<RevokeTokenCommand>();

        var byOwner = await _s.Core.InScopeAsync(sp => Revoke(sp).ExecuteAsync(alice, serial, null));
        var stillValid = await _s.Core.InScopeAsync(sp => sp.GetRequiredService<GetTokenQuery>().ExecuteAsync(alice, serial));
        var byHelpdesk = await _s.Core.InScopeAsync(sp => Revoke(sp).ExecuteAsync(helen, serial, "keyCompromise"));

        Assert.Equal(ErrorKind.Forbidden, byOwner.Error?.Kind);
        Assert.Contains($"Policy '{policy.Name}' does not let users revoke their own tokens", byOwner.Error!.Message);
        Assert.False(stillValid.Value.Revoked);
        Assert.True(byHelpdesk.IsSuccess, byHelpdesk.Error?.Message);
    }

    [Fact]
    public async Task Revoke_NoPolicy_OwnerMayRevoke()
    {
        var alice = await _s.UserAsync();
        var serial = (await _s.EnrolCsrAsync(alice)).Value.Token.Serial;

        var revoked = await _s.Core.InScopeAsync(sp => sp.GetRequiredService<RevokeTokenCommand>().ExecuteAsync(alice, serial, null));

        Assert.True(revoked.IsSuccess, revoked.Error?.Message);
        Assert.True(TokenAccess.CanRevoke(alice, revoked.Value with { Revoked = false }, Core.Policies.EffectivePolicy.None));
    }
}
