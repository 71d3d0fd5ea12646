using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;
using CertTokenPortal.Core.CaConnectors.Local;

namespace CertTokenPortal.Core.CaConnectors.Local.Administration;

/// <summary>
/// Makes the records of a local CA (connector, key encrypted at rest, certificate and chain) and adds them without
/// saving; shared by the create, import and first-start paths so that every local CA is stored the same way.
/// </summary>
public sealed class LocalCaRecordFactory(LocalCaKeyStore keys, CertificateFactory certificates, TimeProvider clock)
{
    /// <summary>A new key and self-signed root certificate.</summary>
    public (X509Certificate2 Certificate, AsymmetricAlgorithm Key) CreateRoot(X500DistinguishedName subject, KeySpec keySpec, int validityDays)
    {
        var key = KeyGenerator.GenerateCaKey(keySpec);
        return (certificates.CreateRoot(subject, key, validityDays), key);
    }

    public CaConnectorRecord Add(PortalDbContext db, string name, X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain,
        AsymmetricAlgorithm key, int crlValidityDays, int crlOverlapDays)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var record = new CaConnectorRecord
        {
            Name = name,
            Type = LocalCaConnector.TypeName,
            CreatedAt = now,
            UpdatedAt = now,
            LocalCa = new LocalCaRecord
            {
                CertificatePem = certificate.ExportCertificatePem(),
                ChainPem = PemCertificates.Write(chain),
                EncryptedPrivateKey = keys.Protect(key),
                KeyDescription = key is ECDsa ec ? $"EC {CurveNames.NameOf(ec)}" : $"RSA {key.KeySize}",
                Subject = certificate.Subject,
                NotAfter = certificate.NotAfter.ToUniversalTime(),
                CrlValidityDays = crlValidityDays,
                CrlOverlapDays = crlOverlapDays,
            },
        };
        db.CaConnectors.Add(record);
        return record;
    }

    /// <summary>The refusal of a connector name that is in use.</summary>
    public static PortalError NameTaken(string name) => PortalError.Conflict($"A CA connector named '{name}' already exists.").About("name");

    /// <summary>
    /// Saves a new connector (and whatever else <paramref name="db"/> holds). When the unique name index refuses it
    /// because another admin or instance took the name since it was checked, returns <see cref="NameTaken"/>; any
    /// other failure is thrown on.
    /// </summary>
    public static async Task<PortalError?> SaveNewAsync(PortalDbContext db, IDbContextFactory<PortalDbContext> dbFactory, string name, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException)
        {
            if (!await NameTakenAsync(dbFactory, name, ct))
            {
                throw;
            }
            return NameTaken(name);
        }
    }

    /// <summary>Whether a connector named <paramref name="name"/> exists.</summary>
    public static async Task<bool> NameTakenAsync(IDbContextFactory<PortalDbContext> dbFactory, string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CaConnectors.AnyAsync(c => c.Name == name, ct);
    }
}
