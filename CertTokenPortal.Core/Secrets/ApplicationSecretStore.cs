using System.Collections.Concurrent;
using System.Security.Cryptography;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Secrets;

/// <summary>
/// Random application secrets (such as the API's JWT signing key), generated on first use and stored encrypted in
/// the database. Several portal instances starting at once agree on one value: the first insert wins, the others read it.
/// </summary>
public sealed class ApplicationSecretStore(IDbContextFactory<PortalDbContext> dbFactory, ISecretProtector protector, TimeProvider clock)
{
    public const string JwtSigningKey = "jwt-signing-key";

    // Secrets never change once made, so caching a value read from the database is safe across instances.
    private readonly ConcurrentDictionary<string, byte[]> _cache = new();

    /// <summary>The secret <paramref name="name"/>, created with <paramref name="length"/> random bytes if it does not exist yet.</summary>
    public byte[] GetOrCreate(string name, int length)
    {
        if (_cache.TryGetValue(name, out var cached))
        {
            return cached;
        }
        var value = ReadOrInsert(name, length);
        return _cache.GetOrAdd(name, value);
    }

    private byte[] ReadOrInsert(string name, int length)
    {
        using var db = dbFactory.CreateDbContext();
        var stored = db.Set<PortalSecret>().AsNoTracking().FirstOrDefault(s => s.Name == name);
        if (stored is not null)
        {
            return protector.Unprotect(SecretPurposes.ApplicationSecret + "/" + name, stored.ProtectedValue);
        }

        var fresh = RandomNumberGenerator.GetBytes(length);
        db.Set<PortalSecret>().Add(new PortalSecret
        {
            Name = name,
            ProtectedValue = protector.Protect(SecretPurposes.ApplicationSecret + "/" + name, fresh),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        try
        {
            db.SaveChanges();
            return fresh;
        }
        catch (DbUpdateException)
        {
            // Another instance inserted it first: use theirs.
            using var again = dbFactory.CreateDbContext();
            var winner = again.Set<PortalSecret>().AsNoTracking().First(s => s.Name == name);
            return protector.Unprotect(SecretPurposes.ApplicationSecret + "/" + name, winner.ProtectedValue);
        }
    }
}
