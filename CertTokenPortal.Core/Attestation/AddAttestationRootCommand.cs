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
