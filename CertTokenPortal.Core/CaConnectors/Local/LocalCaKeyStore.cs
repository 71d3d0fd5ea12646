using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.Secrets;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors.Local;

/// <summary>
/// Encrypts local CA keys for storage and turns stored ones back into <see cref="CaSigner"/>s. Decrypting and
/// importing a key costs more than a signature, so each CA's signer is kept in memory and rebuilt only when the
/// stored key changes (the key is in memory while signing anyway; at rest it is only ever encrypted).
/// </summary>
public sealed class LocalCaKeyStore(IDbContextFactory<PortalDbContext> dbFactory, ISecretProtector protector)
{
    private readonly ConcurrentDictionary<int, (byte[] EncryptedKey, string CertificatePem, CaSigner Signer)> _signers = new();
    private readonly ConcurrentDictionary<int, (DateTime UpdatedAt, CaSigner Signer)> _byVersion = new();

    public byte[] Protect(AsymmetricAlgorithm key) =>
        protector.Protect(SecretPurposes.CaPrivateKey, key.ExportPkcs8PrivateKey());

    /// <summary>
    /// The signer of a local CA as of the connector record's <paramref name="updatedAt"/>: on the issuing path this
    /// saves the database round trip of <see cref="GetSignerAsync(int, CancellationToken)"/>.
    /// Whatever changes a CA's key or certificate must also move <see cref="CaConnectorRecord.UpdatedAt"/>.
    /// </summary>
    public async Task<CaSigner> GetSignerAsync(int caConnectorId, DateTime updatedAt, CancellationToken cancellationToken)
    {
        if (_byVersion.TryGetValue(caConnectorId, out var cached) && cached.UpdatedAt == updatedAt)
        {
            return cached.Signer;
        }
        var signer = await GetSignerAsync(caConnectorId, cancellationToken);
        _byVersion[caConnectorId] = (updatedAt, signer);
        return signer;
    }

    /// <summary>The signer of a local CA, read from the database (cheap: three columns of one row).</summary>
    /// <exception cref="InvalidOperationException">The connector has no local CA row (a bug or a concurrent delete).</exception>
    public async Task<CaSigner> GetSignerAsync(int caConnectorId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.LocalCas.AsNoTracking()
            .Where(l => l.CaConnectorId == caConnectorId)
            .Select(l => new { l.CertificatePem, l.ChainPem, l.EncryptedPrivateKey })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new InvalidOperationException($"CA connector {caConnectorId} has no local CA key.");

        if (_signers.TryGetValue(caConnectorId, out var cached) &&
            cached.EncryptedKey.AsSpan().SequenceEqual(stored.EncryptedPrivateKey) && cached.CertificatePem == stored.CertificatePem)
        {
            return cached.Signer;
        }
        var signer = Open(stored.CertificatePem, stored.ChainPem, stored.EncryptedPrivateKey);
        _signers[caConnectorId] = (stored.EncryptedPrivateKey, stored.CertificatePem, signer);
        return signer;
    }

    private CaSigner Open(string certificatePem, string chainPem, byte[] encryptedKey)
    {
        var pkcs8 = protector.Unprotect(SecretPurposes.CaPrivateKey, encryptedKey);
        try
        {
            var certificate = X509Certificate2.CreateFromPem(certificatePem);
            AsymmetricAlgorithm key = certificate.GetKeyAlgorithm() == CurveNames.EcPublicKeyOid ? ECDsa.Create() : RSA.Create();
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            return new CaSigner(certificate, PemCertificates.ReadAll(chainPem), key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }
}
