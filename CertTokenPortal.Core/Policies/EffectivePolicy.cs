namespace CertTokenPortal.Core.Policies;

/// <summary>The value of one action and the policy it comes from, so that every refusal can name the policy.</summary>
public sealed record PolicySetting<T>(T Value, string PolicyName);

/// <summary>
/// What the policies say about one enrolment (who enrols, for which realm): for each action the winning value and
/// its policy, or null when no policy sets it. Computed by <see cref="EffectivePolicyResolver"/>; read by enrolment,
/// revocation, the API and the wizard.
/// </summary>
public sealed record EffectivePolicy
{
    public static EffectivePolicy None { get; } = new();

    public PolicySetting<string>? CaConnector { get; init; }
    public PolicySetting<string>? Template { get; init; }
    public PolicySetting<IReadOnlyList<string>>? AllowedTemplates { get; init; }
    public PolicySetting<IReadOnlyList<string>>? SubjectComponents { get; init; }
    public PolicySetting<AttestationRequirement>? Attestation { get; init; }
    public PolicySetting<int>? MaxTokens { get; init; }
    public PolicySetting<int>? MaxActiveTokens { get; init; }
    public PolicySetting<KeyRules>? KeyRules { get; init; }
    public PolicySetting<bool>? UserMayRevoke { get; init; }
    public PolicySetting<PinRules>? PinRules { get; init; }
    public PolicySetting<bool>? AllowUpload { get; init; }
    public PolicySetting<UploadTrustRule>? UploadTrust { get; init; }

    /// <summary>The active policies that matched, in the order they were weighed (priority, then name).</summary>
    public IReadOnlyList<string> MatchedPolicies { get; init; } = [];

    /// <summary>The attestation rule in force; without a policy, attestations are ignored (privacyIDEA's default).</summary>
    public AttestationRequirement AttestationRule => Attestation?.Value ?? AttestationRequirement.Ignore;

    /// <summary>Whether end users may revoke their own tokens; yes unless a policy says no.</summary>
    public bool UsersMayRevoke => UserMayRevoke?.Value ?? true;

    /// <summary>One sentence per action in force, e.g. "The CA 'localCA' is required by policy 'staff'.", for the wizard and the API.</summary>
    public IReadOnlyList<string> Explain()
    {
        var lines = new List<string>();
        if (CaConnector is { } ca)
        {
            lines.Add($"The CA '{ca.Value}' is required by policy '{ca.PolicyName}'.");
        }
        if (Template is { } template)
        {
            lines.Add($"The template '{template.Value}' is required by policy '{template.PolicyName}'.");
        }
        if (AllowedTemplates is { } allowed)
        {
            lines.Add($"Only the templates {string.Join(", ", allowed.Value.Select(t => $"'{t}'"))} may be chosen (policy '{allowed.PolicyName}').");
        }
        if (SubjectComponents is { } components)
        {
            lines.Add($"Generated keys get {string.Join(" and ", components.Value)} in the subject (policy '{components.PolicyName}').");
        }
        if (Attestation is { Value: not AttestationRequirement.Ignore } attestation)
        {
            lines.Add(attestation.Value == AttestationRequirement.Verify
                ? $"An attestation of the key is checked, and a failure is recorded (policy '{attestation.PolicyName}')."
                : $"A certificate request needs an attestation of its key that passes every check (policy '{attestation.PolicyName}').");
        }
        if (MaxTokens is { } max)
        {
            lines.Add($"A user may hold at most {max.Value} certificate token(s) (policy '{max.PolicyName}').");
        }
        if (MaxActiveTokens is { } maxActive)
        {
            lines.Add($"A user may hold at most {maxActive.Value} active certificate token(s) (policy '{maxActive.PolicyName}').");
        }
        if (KeyRules is { } keys)
        {
            lines.Add($"Keys must be {keys.Value.Describe()} (policy '{keys.PolicyName}').");
        }
        if (UserMayRevoke is { } revoke)
        {
            lines.Add(revoke.Value
                ? $"Users may revoke their own tokens (policy '{revoke.PolicyName}')."
                : $"Users may not revoke their own tokens (policy '{revoke.PolicyName}').");
        }
        if (AllowUpload is { } upload)
        {
            lines.Add(upload.Value
                ? $"Existing certificates may be uploaded (policy '{upload.PolicyName}')."
                : $"Existing certificates may not be uploaded (policy '{upload.PolicyName}').");
        }
        if (UploadTrust is { Value: UploadTrustRule.Any } trust)
        {
            lines.Add($"Uploaded certificates that do not chain to a CA of this portal are taken, marked untrusted (policy '{trust.PolicyName}').");
        }
        if (PinRules is { } pins)
        {
            lines.Add($"A PKCS#12 passphrase needs {pins.Value.Describe()} (policy '{pins.PolicyName}').");
        }
        return lines;
    }
}
