using System.Text.Json;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Users.Resolvers.Administration;

/// <summary>Creates or changes a realm (<c>POST /realm/&lt;name&gt;</c>): its resolvers, each with an optional priority.</summary>
public sealed class SaveRealmCommand(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, UseCaseGuard guard, TimeProvider clock)
{
    public async Task<Result<RealmView>> ExecuteAsync(Actor actor, RealmRequest request, CancellationToken ct = default) =>
        await guard.RunAsync(actor, Permission.ManageUsers, ResolverErrors.ManageForbidden,
            refusal => AuditEvent.Failed(AuditActions.RealmSet, $"Realm '{request.Name}' refused: {refusal.Message}"),
            () => SaveAsync(actor, request, ct), ct);

    private async Task<Result<RealmView>> SaveAsync(Actor actor, RealmRequest request, CancellationToken ct)
    {
        if (ResolverNames.Check(request.Name, "realm") is { } badName)
        {
            return badName;
        }
        var names = request.Resolvers.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (names.Count == 0)
        {
            return PortalError.Validation("Give the realm's resolvers in 'resolvers' (a comma list), e.g. resolvers=local,corp-ldap.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var known = await db.Resolvers.AsNoTracking().Select(r => r.Name).ToListAsync(ct);
        known.Add(ResolverKinds.LocalResolverName);
        var members = new List<RealmMember>();
        foreach (var name in names)
        {
            var stored = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (stored is null)
            {
                return ResolverErrors.ResolverNotFound(name);
            }
            members.Add(new RealmMember(stored, request.Priorities.TryGetValue(name, out var p) ? p : members.Count + 1));
        }

        var record = await db.Realms.FirstOrDefaultAsync(r => r.Name == request.Name, ct);
        var created = record is null;
        if (record is null)
        {
            record = new RealmRecord { Name = request.Name, IsDefault = !await db.Realms.AnyAsync(ct) };
            db.Realms.Add(record);
        }
        record.ResolversJson = JsonSerializer.Serialize(members);
        record.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.RealmSet,
            $"Realm '{request.Name}' {(created ? "created" : "changed")} with resolvers {string.Join(", ", members.Select(m => $"{m.Name} ({m.Priority})"))}."));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (created)
        {
            return PortalError.Conflict($"The realm '{request.Name}' was created at the same moment by someone else; try again.");
        }
        return ListRealmsQuery.ToView(record);
    }
}
