using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Tokens.Enrolment;

namespace CertTokenPortal.Core.Policies;

/// <summary>How a form asks for an action's value.</summary>
public enum PolicyActionInput
{
    /// <summary>true or false.</summary>
    Switch,
    /// <summary>A whole number.</summary>
    Number,
    /// <summary>One CA connector's name.</summary>
    Ca,
    /// <summary>One template name.</summary>
    Template,
    /// <summary>Several template names.</summary>
    Templates,
    /// <summary>One of <see cref="PolicyActionField.Choices"/>.</summary>
    Choice,
    /// <summary>Any of <see cref="PolicyActionField.Choices"/>.</summary>
    Choices,
    /// <summary>Free text in the action's own small language (key_rules, pin_rules).</summary>
    Text,
}

/// <summary>One enrolment action as a form field: its key, a label, the kind of input, its help and its choices.</summary>
public sealed record PolicyActionField(string Key, string Label, PolicyActionInput Input, IReadOnlyList<string> Choices)
{
    public string Help => PolicyActionKeys.Help[Key];
}

/// <summary>
/// The enrolment actions as a structured form sees them. The form writes each value as an action entry and checks it
/// with <see cref="Check"/>, the very parser <see cref="SetPolicyCommand"/> runs, so the browser refuses exactly what
/// the API refuses, with the same words.
/// </summary>
public static class PolicyActionFields
{
    public static IReadOnlyList<PolicyActionField> All { get; } =
    [
        new(PolicyActionKeys.CaConnector, "CA", PolicyActionInput.Ca, []),
        new(PolicyActionKeys.Template, "Template", PolicyActionInput.Template, []),
        new(PolicyActionKeys.AllowedTemplates, "Templates that may be chosen", PolicyActionInput.Templates, []),
        new(PolicyActionKeys.MaxTokens, "Most tokens per user", PolicyActionInput.Number, []),
        new(PolicyActionKeys.MaxActiveTokens, "Most active tokens per user", PolicyActionInput.Number, []),
        new(PolicyActionKeys.KeyRules, "Allowed keys", PolicyActionInput.Text, []),
        new(PolicyActionKeys.PinRules, "Passphrase rules", PolicyActionInput.Text, []),
        new(PolicyActionKeys.SubjectComponents, "Added to the subject", PolicyActionInput.Choices, SubjectComponentNames.All),
        new(PolicyActionKeys.RequireAttestation, "Key attestation", PolicyActionInput.Choice, ["ignore", "verify", "require_and_verify"]),
        new(PolicyActionKeys.UserMayRevoke, "Users may revoke their own tokens", PolicyActionInput.Switch, []),
        new(PolicyActionKeys.AllowUpload, "Existing certificates may be uploaded", PolicyActionInput.Switch, []),
        new(PolicyActionKeys.UploadTrust, "Uploaded certificates taken", PolicyActionInput.Choice, ["chain", "any"]),
    ];

    /// <summary>The field of <paramref name="key"/>.</summary>
    public static PolicyActionField Of(string key) => All.Single(f => f.Key == key);

    /// <summary>Core's refusal of <paramref name="value"/> for the action <paramref name="key"/>, or null when it is good.</summary>
    public static PortalError? Check(string key, string? value) =>
        PolicyActions.Parse(Write([new PolicyActionEntry(key, value ?? "")])).Error;

    /// <summary>The entries of an action string, in canonical key names; syntax only (values are checked by <see cref="Check"/>).</summary>
    public static Result<IReadOnlyList<PolicyActionEntry>> Read(string? action) =>
        string.IsNullOrWhiteSpace(action) ? Result<IReadOnlyList<PolicyActionEntry>>.Success([]) : PolicyActionString.Parse(action);

    /// <summary>The action string of <paramref name="entries"/>, values with a comma quoted.</summary>
    public static string Write(IEnumerable<PolicyActionEntry> entries) => PolicyActionString.Write(entries);
}
