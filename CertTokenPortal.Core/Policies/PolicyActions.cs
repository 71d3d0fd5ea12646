using System.Globalization;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Tokens.Enrolment;

namespace CertTokenPortal.Core.Policies;

/// <summary>How an attestation of the CSR's key is treated (<c>certificate_require_attestation</c>).</summary>
public enum AttestationRequirement
{
    /// <summary>An attestation is not looked at.</summary>
    Ignore,
    /// <summary>An attestation is checked; a failure is reported and recorded, but the enrolment goes on.</summary>
    Verify,
    /// <summary>An attestation must be given and pass every check, or the enrolment is refused.</summary>
    RequireAndVerify,
}

/// <summary>Which uploaded certificates are taken (<c>certificate_upload_trust</c>).</summary>
public enum UploadTrustRule
{
    /// <summary>Only certificates that chain to a CA of this portal (the default).</summary>
    Chain,
    /// <summary>Any certificate that passes the other checks; one that does not chain is marked untrusted.</summary>
    Any,
}

/// <summary>
/// The actions of one policy, read and checked: each property is null when the policy does not set that action.
/// Reading is pure syntax; whether a named CA or template exists is checked by <see cref="PolicyConsistency"/>.
/// </summary>
public sealed record PolicyActions
{
    public string? CaConnector { get; init; }
    public string? Template { get; init; }
    public IReadOnlyList<string>? AllowedTemplates { get; init; }
    public IReadOnlyList<string>? SubjectComponents { get; init; }
    public AttestationRequirement? Attestation { get; init; }
    public int? MaxTokens { get; init; }
    public int? MaxActiveTokens { get; init; }
    public KeyRules? KeyRules { get; init; }
    public bool? UserMayRevoke { get; init; }
    public PinRules? PinRules { get; init; }
    public bool? AllowUpload { get; init; }
    public UploadTrustRule? UploadTrust { get; init; }

    /// <summary>The entries in canonical form (the string that is stored).</summary>
    public string Canonical { get; init; } = "";

    public static Result<PolicyActions> Parse(string? action)
    {
        if (!PolicyActionString.Parse(action).TryGetValue(out var entries, out var error))
        {
            return error.About("action");
        }
        var actions = new PolicyActions();
        var canonical = new List<PolicyActionEntry>();
        foreach (var entry in entries)
        {
            var applied = Apply(actions, entry);
            if (!applied.TryGetValue(out var next, out var entryError))
            {
                // Said to be about the action itself, so a form can show it under that action's field.
                return entryError.About(entry.Key);
            }
            actions = next.Actions;
            canonical.Add(next.Canonical);
        }
        return actions with { Canonical = PolicyActionString.Write(canonical) };
    }

    private static Result<(PolicyActions Actions, PolicyActionEntry Canonical)> Apply(PolicyActions a, PolicyActionEntry entry)
    {
        var key = entry.Key;
        var value = entry.Value?.Trim();
        if (!PolicyActionKeys.All.Contains(key))
        {
            return PortalError.Validation($"'{key}' is not an enrolment action; the actions are: {string.Join(", ", PolicyActionKeys.All)}.");
        }
        if (key is PolicyActionKeys.UserMayRevoke or PolicyActionKeys.AllowUpload)
        {
            // A bare key means true, as privacyIDEA's boolean actions do.
            bool? flag = value?.ToLowerInvariant() switch
            {
                null or "true" or "1" or "yes" => true,
                "false" or "0" or "no" => false,
                _ => null,
            };
            return flag is { } f
                ? (key == PolicyActionKeys.AllowUpload ? a with { AllowUpload = f } : a with { UserMayRevoke = f }, new PolicyActionEntry(key, f ? "true" : "false"))
                : PortalError.Validation($"{key} takes true or false, not '{value}'.");
        }
        if (string.IsNullOrEmpty(value))
        {
            return PortalError.Validation($"{key} needs a value: {PolicyActionKeys.Help[key]}.");
        }

        switch (key)
        {
            case PolicyActionKeys.CaConnector:
                return (a with { CaConnector = value }, new PolicyActionEntry(key, value));
            case PolicyActionKeys.Template:
                return (a with { Template = value }, new PolicyActionEntry(key, value));
            case PolicyActionKeys.AllowedTemplates:
                var templates = value.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                return (a with { AllowedTemplates = templates }, new PolicyActionEntry(key, string.Join(" ", templates)));
            case PolicyActionKeys.SubjectComponents:
                var components = SubjectComponentNames.Read(value);
                return components.TryGetValue(out var names, out var componentError)
                    ? (a with { SubjectComponents = names }, new PolicyActionEntry(key, string.Join(" ", names)))
                    : PortalError.Validation($"{key}: {componentError.Message}");
            case PolicyActionKeys.RequireAttestation:
                AttestationRequirement? requirement = value.ToLowerInvariant() switch
                {
                    "ignore" => AttestationRequirement.Ignore,
                    "verify" => AttestationRequirement.Verify,
                    "require_and_verify" => AttestationRequirement.RequireAndVerify,
                    _ => null,
                };
                return requirement is { } r
                    ? (a with { Attestation = r }, new PolicyActionEntry(key, value.ToLowerInvariant()))
                    : PortalError.Validation($"{key} takes ignore, verify or require_and_verify, not '{value}'.");
            case PolicyActionKeys.UploadTrust:
                UploadTrustRule? trust = value.ToLowerInvariant() switch
                {
                    "chain" => UploadTrustRule.Chain,
                    "any" => UploadTrustRule.Any,
                    _ => null,
                };
                return trust is { } t
                    ? (a with { UploadTrust = t }, new PolicyActionEntry(key, value.ToLowerInvariant()))
                    : PortalError.Validation($"{key} takes chain or any, not '{value}'.");
            case PolicyActionKeys.MaxTokens or PolicyActionKeys.MaxActiveTokens:
                if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var quota))
                {
                    return PortalError.Validation($"{key} takes a whole number, not '{value}'.");
                }
                if (quota < 0)
                {
                    return PortalError.Validation($"{key} cannot be negative ({quota}); 0 forbids every new token.");
                }
                return (key == PolicyActionKeys.MaxTokens ? a with { MaxTokens = quota } : a with { MaxActiveTokens = quota },
                    new PolicyActionEntry(key, quota.ToString(CultureInfo.InvariantCulture)));
            case PolicyActionKeys.KeyRules:
                var rules = KeyRules.Parse(value);
                return rules.TryGetValue(out var keyRules, out var rulesError)
                    ? (a with { KeyRules = keyRules }, new PolicyActionEntry(key, keyRules.ToString()))
                    : rulesError;
            case PolicyActionKeys.PinRules:
                var pins = PinRules.Parse(value);
                return pins.TryGetValue(out var pinRules, out var pinError)
                    ? (a with { PinRules = pinRules }, new PolicyActionEntry(key, pinRules.ToString()))
                    : pinError;
            default:
                throw new InvalidOperationException($"The action key {key} is listed but not read.");
        }
    }
}
