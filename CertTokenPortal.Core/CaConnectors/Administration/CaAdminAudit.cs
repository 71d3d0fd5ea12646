using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>Audits refusals of CA administration: written at once, in a unit of work of their own.</summary>
public sealed class CaAdminAudit(IAuditLog audit)
{
    public IAuditLog Log => audit;

    public async Task<PortalError> RefuseAsync(Actor actor, string action, string? caName, PortalError error, CancellationToken ct)
    {
        await audit.RecordAsync(actor, AuditEvent.Failed(action, error.Message) with { CaName = caName }, ct);
        return error;
    }

    public static PortalError NotAllowed(string what) => PortalError.Forbidden($"Only admins may {what}.");
}
