using System.Collections.Concurrent;
using System.Text.Json;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Secrets;
using CertTokenPortal.Core.Users.Resolvers.Ldap;
using CertTokenPortal.Core.Users.Resolvers.Local;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Users.Resolvers;

/// <summary>
/// Builds resolvers from their stored settings, by kind, in this one place. A built resolver (with its pooled
/// connections and cache) is kept until its settings change; the stored UpdatedAt tells, so several portal
/// instances pick up a change made on another.
/// </summary>
public sealed class UserResolverRegistry(IDbContextFactory<PortalDbContext> dbFactory, ISecretProtector protector, TimeProvider clock) : IDisposable
{
    private readonly ConcurrentDictionary<string, (DateTime Version, IUserResolver Resolver)> _built = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The resolver <paramref name="name"/> as it serves <paramref name="realm"/>, or null when there is none.</summary>
    public async Task<IUserResolver?> GetAsync(string name, string realm, CancellationToken ct)
    {
        if (string.Equals(name, ResolverKinds.LocalResolverName, StringComparison.OrdinalIgnoreCase))
        {
            return new LocalUserResolver(realm, dbFactory);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var record = await db.Resolvers.AsNoTracking().FirstOrDefaultAsync(r => r.Name == name, ct);
        if (record is null)
        {
            return null;
        }
        if (_built.TryGetValue(name, out var built) && built.Version == record.UpdatedAt)
        {
            return built.Resolver;
        }
        var resolver = Build(record).Value;
        _built.AddOrUpdate(name, (record.UpdatedAt, resolver), (_, old) =>
        {
            (old.Resolver as IDisposable)?.Dispose();
            return (record.UpdatedAt, resolver);
        });
        return resolver;
    }

    /// <summary>A resolver from settings that are not (yet) saved, for <c>POST /resolver/test</c>; the caller disposes it.</summary>
    public IUserResolver BuildUnsaved(string name, LdapResolverSettings settings, string? bindPassword) =>
        new LdapUserResolver(name, settings, bindPassword, clock);

    /// <summary>The stored bind password of resolver <paramref name="name"/>, for testing changed settings.</summary>
    public async Task<string?> StoredBindPasswordAsync(string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var encrypted = await db.Resolvers.AsNoTracking().Where(r => r.Name == name).Select(r => r.EncryptedBindPassword).FirstOrDefaultAsync(ct);
        return encrypted is null ? null : System.Text.Encoding.UTF8.GetString(protector.Unprotect(SecretPurposes.ResolverBindPassword, encrypted));
    }

    private Result<IUserResolver> Build(ResolverRecord record)
    {
        var stored = JsonSerializer.Deserialize<Dictionary<string, string?>>(record.SettingsJson) ?? [];
        var settings = LdapResolverSettings.Parse(stored);
        if (!settings.TryGetValue(out var ldap, out var error))
        {
            // Stored settings were valid when saved; a CA file removed since is the likely cause.
            return error;
        }
        var password = record.EncryptedBindPassword is null ? null
            : System.Text.Encoding.UTF8.GetString(protector.Unprotect(SecretPurposes.ResolverBindPassword, record.EncryptedBindPassword));
        return new LdapUserResolver(record.Name, ldap, password, clock);
    }

    public void Dispose()
    {
        foreach (var (_, built) in _built)
        {
            (built.Resolver as IDisposable)?.Dispose();
        }
    }
}
