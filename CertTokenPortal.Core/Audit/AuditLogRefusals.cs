using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.Audit;

public static class AuditLogRefusals
{
    /// <summary>
    /// Passes <paramref name="result"/> through, and when it is a refusal records it (in its own unit of work, so
    /// nothing of the refused change rides along). Successes are audited by the operation, in its own transaction.
    /// </summary>
    public static async Task<TResult> RecordIfRefusedAsync<TResult>(this IAuditLog audit, Actor actor, TResult result,
        Func<PortalError, AuditEvent> describeRefusal, CancellationToken ct) where TResult : IOutcome
    {
        if (result.Error is { } error)
        {
            await audit.RecordAsync(actor, describeRefusal(error), ct);
        }
        return result;
    }
}
