using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Attestation;

/// <summary>
/// The trusted attestation roots: admins add and remove them, admins and helpdesk list them (the same permissions
/// as policies, which they serve). Every change and every refusal is audited.
/// </summary>
public sealed partial class AttestationRootAdministration(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, TimeProvider clock)
{
    private const int MaxPemLength = 64 * 1024;

    public async Task<Result<IReadOnlyList<AttestationRootView>>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ViewPolicies))
        {
            return PortalError.Forbidden("Only admins and helpdesk staff may view attestation roots.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.AttestationRoots.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct);
        return rows.Select(AttestationRootView.From).ToList();
    }

    public async Task<Result<AttestationRootView>> AddAsync(Actor actor, string name, string? certificatePem, CancellationToken ct = default)
    {
        return await audit.RecordIfRefusedAsync(actor, await AddCheckedAsync(actor, name, certificatePem, ct),
            refusal => AuditEvent.Failed(AuditActions.AttestationRootAdd, $"Attestation root '{name}' refused: {refusal.Message}"), ct);
    }

    public async Task<Result> DeleteAsync(Actor actor, string name, CancellationToken ct = default)
    {
        return await audit.RecordIfRefusedAsync(actor, await DeleteCheckedAsync(actor, name, ct),
            refusal => AuditEvent.Failed(AuditActions.AttestationRootDelete, $"Removing attestation root '{name}' refused: {refusal.Message}"), ct);
    }

    private async Task<Result> DeleteCheckedAsync(Actor actor, string name, CancellationToken ct)
    {
        if (!actor.Allows(Permission.ManagePolicies))
        {
            return PortalError.Forbidden("Only admins may remove attestation roots.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var root = await db.AttestationRoots.SingleOrDefaultAsync(r => r.Name == name, ct);
        if (root is null)
        {
            return PortalError.NotFound($"There is no attestation root named '{name}'.");
        }
        db.AttestationRoots.Remove(root);
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.AttestationRootDelete, $"Attestation root '{name}' ({root.Subject}, SHA-256 {root.Thumbprint}) removed."));
        await db.SaveChangesAsync(ct);
        return Result.Success();
    }

    private async Task<Result<AttestationRootView>> AddCheckedAsync(Actor actor, string name, string? certificatePem, CancellationToken ct)
    {
        if (!actor.Allows(Permission.ManagePolicies))
        {
            return PortalError.Forbidden("Only admins may add attestation roots.");
        }
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
