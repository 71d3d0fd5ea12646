using CertTokenPortal.Core.Policies;

namespace CertTokenPortal.Tests.Policies;

/// <summary>Precedence of policies: priority, realm filter and role scope, weighed per action.</summary>
[Trait("Category", "Unit")]
public sealed class EffectivePolicyResolverTests
{
    private static EnrolmentPolicy Policy(string name, string action, int priority = 1, string realms = "", string roles = "", bool active = true) =>
        new() { Name = name, Action = action, Priority = priority, Realms = realms, Roles = roles, Active = active };

    private static EffectivePolicy Resolve(string role, string realm, params EnrolmentPolicy[] policies) =>
        EffectivePolicyResolver.Combine(policies.Where(p => p.Active && EffectivePolicyResolver.Matches(p, role, realm)));

    [Fact]
    public void Combine_TwoPoliciesSetOneAction_LowerPriorityNumberWins()
    {
        var effective = Resolve("user", "default",
            Policy("loose", "max_token_per_user=10", priority: 5),
            Policy("strict", "max_token_per_user=1", priority: 2));

        Assert.Equal(new PolicySetting<int>(1, "strict"), effective.MaxTokens);
        Assert.Equal(["strict", "loose"], effective.MatchedPolicies);
    }

    [Fact]
    public void Combine_WinnerSetsOnlySomeActions_OthersComeFromWeakerPolicies()
    {
        var effective = Resolve("user", "default",
            Policy("strong", "max_token_per_user=1", priority: 1),
            Policy("weak", "max_token_per_user=9, certificate_template=server", priority: 9));

        Assert.Equal(new PolicySetting<int>(1, "strong"), effective.MaxTokens);
        Assert.Equal(new PolicySetting<string>("server", "weak"), effective.Template);
    }

    [Fact]
    public void Combine_EqualPriority_NameDecides()
    {
        var effective = Resolve("user", "default",
            Policy("b-policy", "max_token_per_user=2"),
            Policy("a-policy", "max_token_per_user=7"));

        Assert.Equal("a-policy", effective.MaxTokens!.PolicyName);
    }

    [Theory]
    [InlineData("default", 1)]
    [InlineData("DEFAULT", 1)]
    [InlineData("corp", null)]
    public void Matches_RealmFilter_AppliesOnlyToListedRealms(string ownerRealm, int? expected)
    {
        var effective = Resolve("user", ownerRealm, Policy("realm-only", "max_token_per_user=1", realms: "default,lab"));

        Assert.Equal(expected, effective.MaxTokens?.Value);
    }

    [Theory]
    [InlineData("user", false)]
    [InlineData("helpdesk", true)]
    [InlineData("admin", true)]
    public void Matches_RoleScope_AppliesOnlyToListedRoles(string role, bool staffPolicyApplies)
    {
        var effective = Resolve(role, "default",
            Policy("staff", "certificate_ca_connector=staffCA", roles: "helpdesk,admin"),
            Policy("everyone", "certificate_ca_connector=userCA", priority: 5));

        Assert.Equal(staffPolicyApplies ? "staffCA" : "userCA", effective.CaConnector!.Value);
    }

    [Fact]
    public void Combine_InactivePolicy_IsIgnored()
    {
        var effective = Resolve("user", "default", Policy("off", "max_token_per_user=1", active: false));

        Assert.Null(effective.MaxTokens);
        Assert.Empty(effective.MatchedPolicies);
    }

    [Fact]
    public void Explain_ForcedCa_NamesThePolicy()
    {
        var effective = Resolve("user", "default", Policy("corp-ca", "certificate_ca_connector=localCA, user_may_revoke=false"));

        Assert.Contains("The CA 'localCA' is required by policy 'corp-ca'.", effective.Explain());
        Assert.Contains("Users may not revoke their own tokens (policy 'corp-ca').", effective.Explain());
        Assert.False(effective.UsersMayRevoke);
    }

    [Fact]
    public void None_Defaults_UsersMayRevokeAndAttestationIgnored()
    {
        Assert.True(EffectivePolicy.None.UsersMayRevoke);
        Assert.Equal(AttestationRequirement.Ignore, EffectivePolicy.None.AttestationRule);
        Assert.Empty(EffectivePolicy.None.Explain());
    }
}
