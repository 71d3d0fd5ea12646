using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.Policies;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>
/// What the effective policy means for one enrolment: which CA and template, whether the key and the PKCS#12
/// passphrase are acceptable, which subject components are added. A refusal is Forbidden and names the policy.
/// </summary>
internal static class EnrolmentPolicyRules
{
    /// <summary>The CA to use: the policy's (an explicit other choice is refused), else the one asked for.</summary>
    public static Result<string> ChooseCa(EffectivePolicy policy, string? requested)
    {
        var asked = requested?.Trim();
        if (policy.CaConnector is { } forced)
        {
            return string.IsNullOrEmpty(asked) || string.Equals(asked, forced.Value, StringComparison.Ordinal)
                ? forced.Value
                : PortalError.Forbidden($"Policy '{forced.PolicyName}' requires the CA '{forced.Value}'; '{asked}' may not be used.");
        }
        return string.IsNullOrEmpty(asked)
            ? PortalError.Validation("Choose the CA connector ('ca') that should issue the certificate.")
            : asked;
    }

    /// <summary>
    /// The template to use: the policy's (an explicit other choice is refused), else the one asked for, else the
    /// CA's default; then it must be among the policy's allowed templates.
    /// </summary>
    public static Result<string> ChooseTemplate(EffectivePolicy policy, string caName, string? requested, string? caDefault)
    {
        var asked = requested?.Trim();
        string chosen;
        if (policy.Template is { } forced)
        {
            if (!string.IsNullOrEmpty(asked) && !string.Equals(asked, forced.Value, StringComparison.OrdinalIgnoreCase))
            {
                return PortalError.Forbidden($"Policy '{forced.PolicyName}' requires the template '{forced.Value}'; '{asked}' may not be used.");
            }
            chosen = forced.Value;
        }
        else if (!string.IsNullOrEmpty(asked))
        {
            chosen = asked;
        }
        else if (!string.IsNullOrEmpty(caDefault))
        {
            chosen = caDefault;
        }
        else
        {
            return PortalError.Validation($"The CA '{caName}' has no default template; choose one ('template').");
        }

        if (policy.AllowedTemplates is { } allowed && !allowed.Value.Contains(chosen, StringComparer.OrdinalIgnoreCase))
        {
            return PortalError.Forbidden($"Policy '{allowed.PolicyName}' allows only the templates {string.Join(", ", allowed.Value.Select(t => $"'{t}'"))}; '{chosen}' may not be used.");
        }
        return chosen;
    }

    /// <summary>
    /// A staff-only template (the default <c>server</c>) is offered to end users only when the owner's policy names it
    /// (<c>certificate_template</c> or <c>allowed_templates</c>); staff may always choose it.
    /// </summary>
    public static PortalError? CheckStaffOnly(Identity.Actor actor, EffectivePolicy policy, string template)
    {
        if (Identity.RolePermissions.Allows(actor, Identity.Permission.EnrolForOthers))
        {
            return null;
        }
        var named = string.Equals(policy.Template?.Value, template, StringComparison.OrdinalIgnoreCase) ||
                    policy.AllowedTemplates?.Value.Contains(template, StringComparer.OrdinalIgnoreCase) == true;
        return named ? null : EnrolmentErrors.StaffOnlyTemplate(template);
    }

    /// <summary>The key of a CSR or of a key to generate must meet <c>key_rules</c>.</summary>
    public static PortalError? CheckKey(EffectivePolicy policy, EnrolmentPlan plan)
    {
        if (policy.KeyRules is not { } rules)
        {
            return null;
        }
        var (algorithm, bits, curve, description) = plan switch
        {
            { Csr: { } csr } => (csr.KeyAlgorithm, csr.KeySize, csr.Curve, csr.KeyDescription),
            { KeySpec: { } spec } => (spec.Algorithm, spec.RsaBits, spec.Curve, spec.Description),
            _ => default((KeyAlgorithmKind, int, string?, string?)),
        };
        if (description is null || rules.Value.Allows(algorithm, bits, curve))
        {
            return null;
        }
        return PortalError.Forbidden($"Policy '{rules.PolicyName}' allows only keys of {rules.Value.Describe()}; this request has {description}.");
    }

    /// <summary>A PKCS#12 passphrase chosen by a person (the PIN of a genkey enrolment) must meet <c>pin_rules</c>.</summary>
    public static PortalError? CheckPin(EffectivePolicy policy, EnrolmentPlan plan, string? pin)
    {
        if (policy.PinRules is not { } rules || plan.Mode != EnrolmentModes.GenerateKey || string.IsNullOrEmpty(pin))
        {
            return null; // a random password is generated when no PIN is given, and meets any rule
        }
        return rules.Value.Problem(pin) is { } problem
            ? PortalError.Forbidden($"Policy '{rules.PolicyName}' refuses this PKCS#12 passphrase: {problem}.")
            : null;
    }

    /// <summary>For generated keys, the policy's subject components join the ones asked for.</summary>
    public static IReadOnlyList<string> SubjectComponents(EffectivePolicy policy, EnrolmentPlan plan, IReadOnlyList<string> requested) =>
        plan.Mode == EnrolmentModes.GenerateKey && policy.SubjectComponents is { } fromPolicy
            ? requested.Concat(fromPolicy.Value).Distinct().ToList()
            : requested;
}
