using System.Text;
using System.Text.Json;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Secrets;
using CertTokenPortal.Core.Users.Resolvers.Ldap;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Users.Resolvers.Administration;

/// <summary>
/// Creates or changes a resolver (<c>POST /resolver/&lt;name&gt;</c>). The bind password is encrypted at rest; a
/// change without BINDPW keeps the stored one, so an admin can edit settings without knowing it.
/// </summary>
public sealed class SaveResolverCommand(IDbContextFactory<PortalDbContext> dbFactory, ISecretProtector protector, IAuditLog audit, UseCaseGuard guard, TimeProvider clock)
{
    public async Task<Result<ResolverView>> ExecuteAsync(Actor actor, ResolverRequest request, CancellationToken ct = default) =>
        await guard.RunAsync(actor, Permission.ManageUsers, ResolverErrors.ManageForbidden,
            refusal => AuditEvent.Failed(AuditActions.ResolverSet, $"Resolver '{request.Name}' refused: {refusal.Message}"),
            () => SaveAsync(actor, request, ct), ct);

    private async Task<Result<ResolverView>> SaveAsync(Actor actor, ResolverRequest request, CancellationToken ct)
    {
        if (ResolverNames.Check(request.Name, "resolver") is { } badName)
        {
            return badName;
        }
        if (string.Equals(request.Name, ResolverKinds.LocalResolverName, StringComparison.OrdinalIgnoreCase))
        {
            return ResolverErrors.BuiltIn;
        }
        if (!string.Equals(request.Type?.Trim(), ResolverKinds.Ldap, StringComparison.OrdinalIgnoreCase))
        {
            return ResolverErrors.UnknownType(request.Type);
        }
        if (!LdapResolverSettings.Parse(request.Parameters).TryGetValue(out var settings, out var invalid))
        {
            return invalid;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var record = await db.Resolvers.FirstOrDefaultAsync(r => r.Name == request.Name, ct);
        var created = record is null;
        if (record is null)
        {
            record = new ResolverRecord { Name = request.Name, CreatedAt = now };
            db.Resolvers.Add(record);
        }
        record.Type = ResolverKinds.Ldap;
        record.SettingsJson = JsonSerializer.Serialize(settings.ToStored());
        if (request.Parameters.TryGetValue("BINDPW", out var password) && password is not null)
        {
            record.EncryptedBindPassword = password.Length == 0 ? null
                : protector.Protect(SecretPurposes.ResolverBindPassword, Encoding.UTF8.GetBytes(password));
        }
        // Microsecond steps are what SQLite and PostgreSQL both keep, so a cached resolver sees the change.
        record.UpdatedAt = now > record.UpdatedAt ? now : record.UpdatedAt.AddMilliseconds(1);
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.ResolverSet,
            $"Resolver '{request.Name}' {(created ? "created" : "changed")}: {settings.Uri.GetLeftPart(UriPartial.Authority)}, base {settings.BaseDn}."));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (created)
        {
            return PortalError.Conflict($"The resolver '{request.Name}' was created at the same moment by someone else; try again.");
        }
        return ListResolversQuery.ToView(record);
    }
}
