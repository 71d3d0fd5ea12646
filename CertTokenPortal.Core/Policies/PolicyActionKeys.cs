namespace CertTokenPortal.Core.Policies;

/// <summary>
/// The action keys of the enrolment scope, with privacyIDEA's names so that a policy written for privacyIDEA's
/// certificate token means the same here.
/// </summary>
public static class PolicyActionKeys
{
    public const string CaConnector = "certificate_ca_connector";
    public const string Template = "certificate_template";
    public const string AllowedTemplates = "allowed_templates";
    public const string SubjectComponents = "certificate_request_subject_component";
    public const string RequireAttestation = "certificate_require_attestation";
    public const string MaxTokens = "max_token_per_user";
    public const string MaxActiveTokens = "max_active_token_per_user";
    public const string KeyRules = "key_rules";
    public const string UserMayRevoke = "user_may_revoke";
    public const string PinRules = "pin_rules";
    public const string AllowUpload = "certificate_allow_upload";
    public const string UploadTrust = "certificate_upload_trust";

    /// <summary>Every key with what its value looks like, for messages and the policy editor's help.</summary>
    public static IReadOnlyDictionary<string, string> Help { get; } = new Dictionary<string, string>
    {
        [CaConnector] = "CA name: the CA to use; another explicit CA is refused",
        [Template] = "template name: the template to use",
        [AllowedTemplates] = "template names separated by spaces: the templates that may be chosen",
        [SubjectComponents] = "email and/or realm, space separated: added to the subject of generated keys",
        [RequireAttestation] = "ignore, verify or require_and_verify",
        [MaxTokens] = "a whole number: most certificate tokens a user may hold",
        [MaxActiveTokens] = "a whole number: most active certificate tokens a user may hold",
        [KeyRules] = "allowed keys, e.g. rsa>=3072 ec:P-256,P-384",
        [UserMayRevoke] = "true or false: users may revoke their own tokens",
        [PinRules] = "PKCS#12 passphrase rules, e.g. min=8 classes=3",
        [AllowUpload] = "true or false: existing certificates may be uploaded as tokens",
        [UploadTrust] = "chain or any: uploaded certificates must chain to a CA of this portal, or any is taken, marked untrusted",
    };

    public static IReadOnlyList<string> All { get; } = Help.Keys.ToList();

    /// <summary>
    /// Earlier names of this portal for privacyIDEA's actions; still read, and written back under the canonical name.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>
    {
        ["max_token_user"] = MaxTokens,
        ["max_active_token_user"] = MaxActiveTokens,
    };

    /// <summary>The canonical name of <paramref name="key"/> (itself unless it is an alias).</summary>
    public static string Canonical(string key) => Aliases.GetValueOrDefault(key, key);
}
