using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors.Administration;

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

    /// <summary>Whether a failed save was the unique name index (another admin or instance created the name first).</summary>
    public static async Task<bool> NameTakenAsync(IDbContextFactory<PortalDbContext> dbFactory, string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CaConnectors.AnyAsync(c => c.Name == name, ct);
    }
}
