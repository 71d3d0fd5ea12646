using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Attestation;

/// <summary>Trusts a new attestation root certificate (admins only); audited, refusals too.</summary>
public sealed partial class AddAttestationRootCommand(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, UseCaseGuard guard, TimeProvider clock)
{
    private const int MaxPemLength = 64 * 1024;

    public Task<Result<AttestationRootView>> ExecuteAsync(Actor actor, string name, string? certificatePem, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ManagePolicies, AttestationErrors.NotAllowedToAdd,
            refusal => AuditEvent.Failed(AuditActions.AttestationRootAdd, $"Attestation root '{name}' refused: {refusal.Message}"),
            () => AddAsync(actor, name, certificatePem, ct), ct);

    private async Task<Result<AttestationRootView>> AddAsync(Actor actor, string name, string? certificatePem, CancellationToken ct)
    {
        if (!SafeName().IsMatch(name ?? ""))
        {
            return PortalError.Validation("An attestation root name needs 1 to 64 characters: letters, digits, '.', '_' or '-'.");
        }
        if (!Read(certificatePem).TryGetValue(out var certificate, out var readError))
        {
            return readError;
        }
        using (certificate)
        {
            var thumbprint = Convert.ToHexString(SHA256.HashData(certificate.RawData));
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var existing = await db.AttestationRoots.AsNoTracking()
                .Where(r => r.Name == name || r.Thumbprint == thumbprint).Select(r => r.Name).FirstOrDefaultAsync(ct);
            if (existing is not null)
            {
                return PortalError.Conflict(existing == name
                    ? $"An attestation root named '{name}' exists; remove it first to replace it."
                    : $"This certificate is already trusted as '{existing}'.");
            }
            var root = new AttestationRoot
            {
                Name = name!,
                CertificatePem = certificate.ExportCertificatePem(),
                Subject = certificate.Subject,
                Thumbprint = thumbprint,
                NotAfter = certificate.NotAfter.ToUniversalTime(),
                CreatedAt = clock.GetUtcNow().UtcDateTime,
                CreatedBy = actor.UserName,
            };
            db.AttestationRoots.Add(root);
            audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.AttestationRootAdd, $"Attestation root '{name}' added: {root.Subject}, SHA-256 {thumbprint}."));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                return PortalError.Conflict($"An attestation root named '{name}' (or with this certificate) was added at the same moment.");
            }
            return AttestationRootView.From(root);
        }
    }

    private static Result<X509Certificate2> Read(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return PortalError.Validation("Give the root certificate ('certificate'), PEM.");
        }
        if (pem.Length > MaxPemLength)
        {
            return PortalError.TooLarge("The certificate is larger than 64 KiB; give a single root certificate.");
        }
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException)
        {
            return PortalError.Validation("The root certificate cannot be read: give one X.509 certificate in PEM (-----BEGIN CERTIFICATE-----).");
        }
        return collection.Count switch
        {
            0 => PortalError.Validation("The root certificate cannot be read: give one X.509 certificate in PEM (-----BEGIN CERTIFICATE-----)."),
            1 => collection[0],
            _ => PortalError.Validation($"Give one root certificate, not {collection.Count}; intermediates travel with each attestation."),
        };
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SafeName();
}
