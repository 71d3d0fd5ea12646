using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.Audit;

/// <summary>
/// The one way a use case checks a permission and audits a refusal. The permission is checked first, so a caller
/// without it gets Forbidden before any validation; any refusal (the permission's or the use case's own) is then
/// recorded in a unit of work of its own, so nothing of a refused change rides along. Successes are audited by the
/// use case, in its own transaction.
/// </summary>
public sealed class UseCaseGuard(IAuditLog audit)
{
    /// <summary>Runs <paramref name="useCase"/> for <paramref name="actor"/> when they hold <paramref name="permission"/>.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="permission">What the actor needs; null when the use case decides access itself (e.g. "own tokens").</param>
    /// <param name="forbidden">The error for an actor without <paramref name="permission"/> (from the feature's <c>Errors</c>).</param>
    /// <param name="refusal">How a refusal is audited; null for reads, whose refusals are not audited.</param>
    /// <param name="useCase">The use case itself.</param>
    /// <param name="ct">Cancels it.</param>
    public async Task<Result<T>> RunAsync<T>(Actor actor, Permission? permission, PortalError? forbidden,
        Func<PortalError, AuditEvent>? refusal, Func<Task<Result<T>>> useCase, CancellationToken ct)
    {
        var result = Denied(actor, permission, forbidden) is { } denied ? denied : await useCase();
        await RecordAsync(actor, result, refusal, ct);
        return result;
    }

    /// <inheritdoc cref="RunAsync{T}"/>
    public async Task<Result> RunAsync(Actor actor, Permission? permission, PortalError? forbidden,
        Func<PortalError, AuditEvent>? refusal, Func<Task<Result>> useCase, CancellationToken ct)
    {
        var result = Denied(actor, permission, forbidden) is { } denied ? denied : await useCase();
        await RecordAsync(actor, result, refusal, ct);
        return result;
    }

    private static PortalError? Denied(Actor actor, Permission? permission, PortalError? forbidden) =>
        permission is { } needed && !actor.Allows(needed)
            ? forbidden ?? PortalError.Forbidden("You may not do this.")
            : null;

    private async Task RecordAsync(Actor actor, IOutcome result, Func<PortalError, AuditEvent>? refusal, CancellationToken ct)
    {
        // Busy is no refusal of the person but the portal's overload; an audit row for each would add to the load.
        if (result.Error is { Kind: not ErrorKind.Busy } error && refusal is not null)
        {
            await audit.RecordAsync(actor, refusal(error), ct);
        }
    }
}
