using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Attestation;

namespace CertTokenPortal.Api;

/// <summary>
/// <c>/attestation/root/</c>: the root certificates trusted to vouch for hardware keys, against which the
/// <c>attestation</c> parameter of <c>/token/init</c> is checked (policy <c>certificate_require_attestation</c>).
/// </summary>
public static class AttestationApi
{
    public static IEndpointRouteBuilder MapAttestationApi(this IEndpointRouteBuilder api)
    {
        var roots = api.MapGroup("/attestation/root").WithTags("Attestation");
        roots.MapGet("/", ListAsync).WithSummary("List the trusted attestation roots (admin, helpdesk).");
        roots.MapPost("/{name}", AddAsync).RequirePermission(Permission.ManagePolicies, AuditActions.AttestationRootAdd).WithSummary("Trust an attestation root (admin): certificate = one PEM root certificate.");
        roots.MapDelete("/{name}", DeleteAsync).RequirePermission(Permission.ManagePolicies, AuditActions.AttestationRootDelete).WithSummary("Stop trusting an attestation root (admin).");
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ListAttestationRootsQuery roots) =>
        ApiResults.From(await roots.ExecuteAsync(http.Actor(), http.RequestAborted), all => all.Select(Json).ToList());

    private static async Task<IResult> AddAsync(HttpContext http, AddAttestationRootCommand roots, string name)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        return ApiResults.From(await roots.ExecuteAsync(http.Actor(), name, p["certificate"], http.RequestAborted), Json);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, DeleteAttestationRootCommand roots, string name)
    {
        var result = await roots.ExecuteAsync(http.Actor(), name, http.RequestAborted);
        return ApiResults.From(result, true);
    }

    private static Dictionary<string, object?> Json(AttestationRootView r) => new()
    {
        ["name"] = r.Name,
        ["subject"] = r.Subject,
        ["sha256"] = r.Thumbprint,
        ["not_after"] = TokenJson.Iso(r.NotAfter),
        ["created"] = TokenJson.Iso(r.CreatedAt),
        ["created_by"] = r.CreatedBy,
        ["certificate"] = r.CertificatePem,
    };
}
