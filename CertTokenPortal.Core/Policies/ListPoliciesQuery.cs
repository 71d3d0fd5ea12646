using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Policies;

/// <summary>Lists every policy (admins and helpdesk), strongest first: by priority, then name.</summary>
public sealed class ListPoliciesQuery(IDbContextFactory<PortalDbContext> dbFactory, UseCaseGuard guard)
{
    public Task<Result<IReadOnlyList<PolicyView>>> ExecuteAsync(Actor actor, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ViewPolicies, PolicyErrors.NotAllowedToView, refusal: null, () => ReadAsync(ct), ct);

    private async Task<Result<IReadOnlyList<PolicyView>>> ReadAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Policies.AsNoTracking().ToListAsync(ct);
        return rows.OrderBy(p => p.Priority).ThenBy(p => p.Name, StringComparer.Ordinal).Select(PolicyView.From).ToList();
    }
}
