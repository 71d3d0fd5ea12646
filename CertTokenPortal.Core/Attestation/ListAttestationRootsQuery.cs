using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Attestation;

/// <summary>The trusted attestation roots (admins and helpdesk: the permissions of the policies they serve).</summary>
public sealed class ListAttestationRootsQuery(IDbContextFactory<PortalDbContext> dbFactory, UseCaseGuard guard)
{
    public Task<Result<IReadOnlyList<AttestationRootView>>> ExecuteAsync(Actor actor, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ViewPolicies, AttestationErrors.NotAllowedToView, refusal: null, () => ListAsync(ct), ct);

    private async Task<Result<IReadOnlyList<AttestationRootView>>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.AttestationRoots.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct);
        return rows.Select(AttestationRootView.From).ToList();
    }
}
