using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Policies;

/// <summary>Lists every policy (admins and helpdesk), strongest first: by priority, then name.</summary>
public sealed class ListPoliciesQuery(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<Result<IReadOnlyList<PolicyView>>> ExecuteAsync(Actor actor, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ViewPolicies))
        {
            return PortalError.Forbidden("Only admins and helpdesk staff may view policies.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Policies.AsNoTracking().ToListAsync(ct);
        return rows.OrderBy(p => p.Priority).ThenBy(p => p.Name, StringComparer.Ordinal).Select(PolicyView.From).ToList();
    }
}
