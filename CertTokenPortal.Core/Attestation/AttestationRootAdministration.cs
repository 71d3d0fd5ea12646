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
        if (!Read(certificatePem).TryGetValue(out var chain, out var readError))
        {
            return readError;
        }
        var (certificate, chainPem) = chain;
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
                CertificatePem = chainPem,
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

    /// <summary>
    /// Reads one root, or privacyIDEA's trusted chain file: a self-signed root with the intermediates below it, in any
    /// order. Every certificate must chain to the root within the file, so that trusting the file trusts one root.
    /// </summary>
    private static Result<(X509Certificate2 Root, string ChainPem)> Read(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return PortalError.Validation("Give the root certificate or trusted chain ('certificate'), PEM.");
        }
        if (pem.Length > MaxPemLength)
        {
            return PortalError.TooLarge("The certificate is larger than 64 KiB; give one root, optionally with its intermediates.");
        }
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException)
        {
            return PortalError.Validation("The root certificate cannot be read: give X.509 certificates in PEM (-----BEGIN CERTIFICATE-----).");
        }
        if (collection.Count == 0)
        {
            return PortalError.Validation("The root certificate cannot be read: give X.509 certificates in PEM (-----BEGIN CERTIFICATE-----).");
        }
        var certificates = collection.ToList();
        var roots = certificates.Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData) && Pki.AttestationVerifier.SignedBy(c, c)).ToList();
        if (roots.Count != 1)
        {
            return PortalError.Validation(roots.Count == 0
                ? "The trusted chain has no self-signed root certificate; give the root, optionally followed by its intermediates."
                : $"The trusted chain holds {roots.Count} self-signed roots; upload each root (with its intermediates) on its own.");
        }
        var root = roots[0];
        foreach (var certificate in certificates.Where(c => c != root))
        {
            if (!ChainsTo(certificate, root, certificates))
            {
                return PortalError.Validation($"The certificate '{certificate.Subject}' in the trusted chain does not chain to its root '{root.Subject}'.");
            }
        }
        // The root first, then the intermediates, as one PEM: what the verifier loads as the trusted path.
        var ordered = new[] { root }.Concat(certificates.Where(c => c != root));
        return (root, string.Concat(ordered.Select(c => c.ExportCertificatePem() + "\n")));
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 root, List<X509Certificate2> all)
    {
        var current = certificate;
        for (var depth = 0; depth < all.Count; depth++)
        {
            var issuer = all.FirstOrDefault(c => c != current && c.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData) && Pki.AttestationVerifier.SignedBy(current, c));
            if (issuer is null)
            {
                return false;
            }
            if (issuer == root)
            {
                return true;
            }
            current = issuer;
        }
        return false;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SafeName();
}
