using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Policies;

namespace CertTokenPortal.Api;

/// <summary>
/// <c>/policy/</c>: enrolment policies in privacyIDEA's shape. Admins create, replace and delete them; admins and
/// helpdesk list them. <c>/policy/effective</c> tells what applies to an enrolment before it is submitted.
/// </summary>
public static class PolicyApi
{
    public static IEndpointRouteBuilder MapPolicyApi(this IEndpointRouteBuilder api)
    {
        var policy = api.MapGroup("/policy").WithTags("Policies");
        policy.MapGet("/", ListAsync).WithSummary("List policies (admin, helpdesk), strongest first.");
        policy.MapGet("/effective", EffectiveAsync).WithSummary(
            "What the policies say about an enrolment by the caller for user (and realm): each action in force, the policy it comes from, and one sentence per action.");
        policy.MapPost("/{name}", SetAsync).RequirePermission(Permission.ManagePolicies, AuditActions.PolicySet).WithSummary(
            "Create or replace a policy (admin): scope (enrollment), action (comma-separated key=value: certificate_ca_connector, certificate_template, " +
            "allowed_templates, certificate_request_subject_component, certificate_require_attestation, max_token_per_user, max_active_token_per_user, key_rules, " +
            "user_may_revoke, pin_rules), realm, role (user, helpdesk, admin; comma-separated, empty = all), priority (lower wins, default 1), active (default true).");
        policy.MapDelete("/{name}", DeleteAsync).RequirePermission(Permission.ManagePolicies, AuditActions.PolicyDelete).WithSummary("Delete a policy (admin).");
        policy.MapGet("/{name}", GetAsync).WithSummary("privacyIDEA's GET /policy/<name>: a list holding the policy of that name, empty when there is none (admin, helpdesk).");
        policy.MapPost("/enable/{name}", (HttpContext h, ListPoliciesQuery l, SetPolicyCommand s, string name) => SetActiveAsync(h, l, s, name, true))
            .RequirePermission(Permission.ManagePolicies, AuditActions.PolicySet)
            .WithSummary("Enable a policy (admin); value = 1.");
        policy.MapPost("/disable/{name}", (HttpContext h, ListPoliciesQuery l, SetPolicyCommand s, string name) => SetActiveAsync(h, l, s, name, false))
            .RequirePermission(Permission.ManagePolicies, AuditActions.PolicySet)
            .WithSummary("Disable a policy (admin); value = 1.");
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ListPoliciesQuery list) =>
        ApiResults.From(await list.ExecuteAsync(http.Actor(), http.RequestAborted), all => all.Select(Json).ToList());

    private static async Task<IResult> GetAsync(HttpContext http, ListPoliciesQuery list, string name) =>
        ApiResults.From(await list.ExecuteAsync(http.Actor(), http.RequestAborted), all => all.Where(p => p.Name == name).Select(Json).ToList());

    /// <summary>privacyIDEA's enable/disable: the stored policy, saved again through the same command with only its state changed.</summary>
    private static async Task<IResult> SetActiveAsync(HttpContext http, ListPoliciesQuery list, SetPolicyCommand set, string name, bool active)
    {
        if (!(await list.ExecuteAsync(http.Actor(), http.RequestAborted)).TryGetValue(out var all, out var listError))
        {
            return ApiResults.Fail(listError);
        }
        if (all.FirstOrDefault(p => p.Name == name) is not { } stored)
        {
            return ApiResults.Fail(PortalError.NotFound($"There is no policy named '{name}'."));
        }
        var request = new PolicyRequest(name, stored.Action)
        {
            Scope = stored.Scope,
            Realms = string.Join(",", stored.Realms),
            Roles = string.Join(",", stored.Roles),
            Priority = stored.Priority,
            Active = active,
        };
        return ApiResults.From(await set.ExecuteAsync(http.Actor(), request, http.RequestAborted), _ => 1);
    }

    private static async Task<IResult> SetAsync(HttpContext http, SetPolicyCommand set, string name)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        if (!p.TryInt("priority", 1, out var priority))
        {
            return ApiResults.Fail(PortalError.Validation($"priority '{p["priority"]}' is not a whole number."));
        }
        var request = new PolicyRequest(name, p["action"])
        {
            Scope = p["scope"],
            Realms = p["realm"],
            Roles = p["role"],
            Priority = priority,
            Active = p.Bool("active") ?? true,
        };
        return ApiResults.From(await set.ExecuteAsync(http.Actor(), request, http.RequestAborted), Json);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, DeletePolicyCommand delete, string name)
    {
        var result = await delete.ExecuteAsync(http.Actor(), name, http.RequestAborted);
        return ApiResults.From(result, true);
    }

    private static async Task<IResult> EffectiveAsync(HttpContext http, EffectivePolicyResolver policies, string? user, string? realm) =>
        ApiResults.From(await policies.PreviewAsync(http.Actor(), user, realm, http.RequestAborted), EffectiveJson);

    private static Dictionary<string, object?> Json(PolicyView p) => new()
    {
        ["name"] = p.Name,
        ["scope"] = p.Scope,
        ["action"] = p.Action,
        ["realm"] = p.Realms,
        ["role"] = p.Roles,
        ["priority"] = p.Priority,
        ["active"] = p.Active,
        ["updated"] = TokenJson.Iso(p.UpdatedAt),
        ["updated_by"] = p.UpdatedBy,
        ["explanation"] = p.Explain(),
    };

    private static Dictionary<string, object?> EffectiveJson(EffectivePolicy e) => new()
    {
        ["policies"] = e.MatchedPolicies,
        [PolicyActionKeys.CaConnector] = Setting(e.CaConnector),
        [PolicyActionKeys.Template] = Setting(e.Template),
        [PolicyActionKeys.AllowedTemplates] = Setting(e.AllowedTemplates),
        [PolicyActionKeys.SubjectComponents] = Setting(e.SubjectComponents),
        [PolicyActionKeys.RequireAttestation] = e.Attestation is { } a ? Setting(new PolicySetting<string>(Name(a.Value), a.PolicyName)) : null,
        [PolicyActionKeys.MaxTokens] = Setting(e.MaxTokens),
        [PolicyActionKeys.MaxActiveTokens] = Setting(e.MaxActiveTokens),
        [PolicyActionKeys.KeyRules] = e.KeyRules is { } k ? Setting(new PolicySetting<string>(k.Value.ToString(), k.PolicyName)) : null,
        [PolicyActionKeys.UserMayRevoke] = Setting(e.UserMayRevoke),
        [PolicyActionKeys.PinRules] = e.PinRules is { } r ? Setting(new PolicySetting<string>(r.Value.ToString(), r.PolicyName)) : null,
        ["explanation"] = e.Explain(),
    };

    private static Dictionary<string, object?>? Setting<T>(PolicySetting<T>? setting) =>
        setting is null ? null : new Dictionary<string, object?> { ["value"] = setting.Value, ["policy"] = setting.PolicyName };

    private static string Name(AttestationRequirement requirement) => requirement switch
    {
        AttestationRequirement.Verify => "verify",
        AttestationRequirement.RequireAndVerify => "require_and_verify",
        _ => "ignore",
    };
}
