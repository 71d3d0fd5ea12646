using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Tokens.Pending;

namespace CertTokenPortal.Api;

/// <summary>
/// <c>/token/approve/&lt;serial&gt;</c> and <c>/token/deny/&lt;serial&gt;</c>: an admin decides the pending request of an
/// approval-gated CA. <c>GET /token/?rollout_state=pending</c> lists what waits.
/// </summary>
public static class ApprovalApi
{
    public static IEndpointRouteBuilder MapApprovalApi(this IEndpointRouteBuilder api)
    {
        var token = api.MapGroup("/token").WithTags("Tokens");
        token.MapPost("/approve/{serial}", ApproveAsync).RequirePermission(Permission.DecideApprovals, AuditActions.TokenApprove).WithSummary(
            "Approve a pending request (admin, not for a request made by or for yourself): the CA issues the certificate and the token becomes enrolled. 409 when it is not pending.");
        token.MapPost("/deny/{serial}", DenyAsync).RequirePermission(Permission.DecideApprovals, AuditActions.TokenDeny).WithSummary(
            "Deny a pending request (admin, not your own) with a reason: the token becomes denied. 409 when it is not pending.");
        return api;
    }

    private static async Task<IResult> ApproveAsync(HttpContext http, DecidePendingRequestCommand decide, string serial) =>
        ApiResults.From(await decide.ExecuteAsync(http.Actor(), new DecisionRequest(serial, Approve: true), http.RequestAborted), TokenJson.From);

    private static async Task<IResult> DenyAsync(HttpContext http, DecidePendingRequestCommand decide, string serial)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        return ApiResults.From(await decide.ExecuteAsync(http.Actor(), new DecisionRequest(serial, Approve: false, p["reason"]), http.RequestAborted), TokenJson.From);
    }
}
