using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.Policies;

namespace CertTokenPortal.Tests.Policies;

[Trait("Category", "Unit")]
public sealed class PolicyActionsTests
{
    [Fact]
    public void Parse_EveryKey_ReadsTypedValuesAndCanonicalString()
    {
        var parsed = PolicyActions.Parse(
            "certificate_ca_connector=localCA, certificate_template=user, allowed_templates=user server, " +
            "certificate_request_subject_component=email realm, certificate_require_attestation=verify, max_token_per_user=3, " +
            "max_active_token_per_user=2, key_rules=rsa>=3072 ec:P-256,P-384, user_may_revoke=false, pin_rules=min=8 classes=3");

        Assert.True(parsed.IsSuccess, parsed.Error?.Message);
        var a = parsed.Value;
        Assert.Equal("localCA", a.CaConnector);
        Assert.Equal("user", a.Template);
        Assert.Equal(["user", "server"], a.AllowedTemplates);
        Assert.Equal(["email", "realm"], a.SubjectComponents);
        Assert.Equal(AttestationRequirement.Verify, a.Attestation);
        Assert.Equal((3, 2), (a.MaxTokens, a.MaxActiveTokens));
        Assert.Equal(new KeyRules(3072, ["P-256", "P-384"]).ToString(), a.KeyRules!.ToString());
        Assert.False(a.UserMayRevoke);
        Assert.Equal(new PinRules(8, 3), a.PinRules);
        // The comma inside key_rules survives the round trip (quoted in the canonical form).
        var reread = PolicyActions.Parse(a.Canonical).Value;
        Assert.Equal(a.Canonical, reread.Canonical);
        Assert.Equal(["P-256", "P-384"], reread.KeyRules!.EcCurves);
        Assert.Contains("key_rules='rsa>=3072 ec:P-256,P-384'", a.Canonical);
    }

    [Fact]
    public void Parse_QuotedValueWithComma_IsOneEntry()
    {
        var parsed = PolicyActions.Parse("key_rules=\"ec:P-384,P-521\", max_token_per_user=1");

        Assert.Equal(["P-384", "P-521"], parsed.Value.KeyRules!.EcCurves);
        Assert.Equal(1, parsed.Value.MaxTokens);
    }

    [Fact]
    public void Parse_BareUserMayRevoke_MeansTrue()
    {
        Assert.True(PolicyActions.Parse("user_may_revoke").Value.UserMayRevoke);
    }

    [Theory]
    [InlineData("max_token_per_user=-1", "cannot be negative")]
    [InlineData("max_token_per_user=three", "takes a whole number, not 'three'")]
    [InlineData("max_active_token_per_user=2.5", "takes a whole number")]
    [InlineData("max_token_per_user", "needs a value")]
    [InlineData("enroll_everything=1", "'enroll_everything' is not an enrolment action")]
    [InlineData("certificate_require_attestation=maybe", "ignore, verify or require_and_verify")]
    [InlineData("key_rules=dsa>=1024", "'dsa>=1024' is not understood")]
    [InlineData("key_rules=rsa>=1024", "below the portal's floor of 2048")]
    [InlineData("key_rules=ec:P-192", "'P-192' is not a curve")]
    [InlineData("key_rules=rsa rsa>=4096", "rsa appears twice")]
    [InlineData("pin_rules=min=0", "min must be between 1")]
    [InlineData("pin_rules=classes=5", "classes must be between 1 and 4")]
    [InlineData("pin_rules=length=8", "'length' is not a rule")]
    [InlineData("pin_rules=min", "is not 'min=<number>'")]
    [InlineData("user_may_revoke=perhaps", "takes true or false")]
    [InlineData("certificate_request_subject_component=phone", "Unknown subject component")]
    [InlineData("max_token_per_user=1, max_token_per_user=2", "given twice")]
    [InlineData("key_rules='rsa", "not closed")]
    [InlineData("", "has no action")]
    [InlineData("P-256, max_token_per_user=1", "must start with an action key")]
    public void Parse_BadAction_IsRefusedWithMessage(string action, string message)
    {
        var parsed = PolicyActions.Parse(action);

        Assert.False(parsed.IsSuccess);
        Assert.Contains(message, parsed.Error!.Message);
    }

    [Theory]
    [InlineData("rsa>=3072", KeyAlgorithmKind.Rsa, 3072, null, true)]
    [InlineData("rsa>=3072", KeyAlgorithmKind.Rsa, 2048, null, false)]
    [InlineData("rsa>=3072", KeyAlgorithmKind.Ec, 256, "P-256", false)]
    [InlineData("ec:P-384", KeyAlgorithmKind.Ec, 256, "P-256", false)]
    [InlineData("ec:P-384", KeyAlgorithmKind.Ec, 384, "P-384", true)]
    [InlineData("ec", KeyAlgorithmKind.Ec, 521, "P-521", true)]
    [InlineData("rsa ec:P-256", KeyAlgorithmKind.Rsa, 2048, null, true)]
    public void KeyRules_Allows_FollowsTheRules(string rules, KeyAlgorithmKind algorithm, int bits, string? curve, bool allowed)
    {
        Assert.Equal(allowed, KeyRules.Parse(rules).Value.Allows(algorithm, bits, curve));
    }

    [Theory]
    [InlineData("min=8 classes=3", "Abcdefg1", true)]
    [InlineData("min=8 classes=3", "abcdefg1", false)]
    [InlineData("min=8 classes=3", "Ab1!", false)]
    [InlineData("min=4", "aaaa", true)]
    [InlineData("classes=4", "aB3-", true)]
    public void PinRules_Problem_FollowsTheRules(string rules, string pin, bool passes)
    {
        Assert.Equal(passes, PinRules.Parse(rules).Value.Problem(pin) is null);
    }
}
