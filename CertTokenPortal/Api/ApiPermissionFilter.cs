using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Api;

/// <summary>
/// Authorization before validation: an endpoint that needs a permission refuses a caller without it (403, audited)
/// before it reads or checks any parameter, so a refusal never describes what the request got wrong. The use cases
/// check the same permission again; this filter only makes sure the edge does not validate first.
/// </summary>
public static class ApiPermissionFilter
{
    /// <summary>Refuses callers whose role lacks <paramref name="permission"/> before the handler runs; <paramref name="auditAction"/> names the refusal.</summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, Permission permission, string auditAction)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var actor = http.Actor();
            if (actor.Allows(permission))
            {
                return await next(context);
            }
            var error = PortalError.Forbidden($"Your role '{actor.Role}' may not do this; it needs the permission {permission}.");
            var audit = http.RequestServices.GetRequiredService<IAuditLog>();
            await audit.RecordAsync(actor, AuditEvent.Failed(auditAction, error.Message), http.RequestAborted);
            return ApiResults.Fail(error);
        });
}
