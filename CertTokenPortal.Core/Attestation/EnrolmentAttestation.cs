using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Core.Tokens;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Attestation;

/// <summary>What an attestation check found, as it is recorded on the token and in the audit log.</summary>
public sealed record AttestationReport(bool Passed, string Message)
{
    /// <summary>The text kept on the token, e.g. "verified: ..." or "not verified: the chain check failed: ...".</summary>
    public string TokenInfo => Passed ? $"verified: {Message}" : $"not verified: {Message}";
}

/// <summary>
/// Applies privacyIDEA's attestation semantics to an enrolment. An attestation whose key is not the request's key is
/// always refused, whatever the policy. <c>ignore</c> (or no policy) records whether the chain verifies and goes on;
/// <c>verify</c> refuses a given attestation that fails; <c>require_and_verify</c> also refuses a missing one.
/// Refusals are 400s naming the failed check. The checks are the PKI engine's <see cref="AttestationVerifier"/>,
/// against the trusted chains admins uploaded.
/// </summary>
public sealed class EnrolmentAttestation(IDbContextFactory<PortalDbContext> dbFactory, AttestationVerifier verifier)
{
    private const int MaxAttestationLength = 64 * 1024;

    /// <returns>A report to record, null when there is nothing to record, or the refusal.</returns>
    public async Task<Result<AttestationReport?>> CheckAsync(EffectivePolicy policy, string mode, ParsedCsr? csr, string? attestationPem, CancellationToken ct)
    {
        var rule = policy.Attestation;
        var requirement = rule?.Value ?? AttestationRequirement.Ignore;
        var given = !string.IsNullOrWhiteSpace(attestationPem);
        if (mode == EnrolmentModes.Certificate || mode == EnrolmentModes.GenerateKey || csr is null)
        {
            if (given)
            {
                return PortalError.Validation("An attestation vouches for the key of a certificate request; send it with 'request', not with genkey or an uploaded certificate.");
            }
            return requirement == AttestationRequirement.RequireAndVerify && mode == EnrolmentModes.GenerateKey
                ? PortalError.Validation($"Policy '{rule!.PolicyName}' requires an attested hardware key; a key generated on the server cannot be attested. Send a certificate request with the attestation of its key.")
                : Result<AttestationReport?>.Success(null);
        }
        if (!given)
        {
            return requirement switch
            {
                AttestationRequirement.RequireAndVerify => PortalError.Validation($"Policy '{rule!.PolicyName}' requires an attestation certificate for the key of the request ('attestation'); none was given."),
                AttestationRequirement.Verify => new AttestationReport(false, "no attestation was given."),
                _ => Result<AttestationReport?>.Success(null),
            };
        }
        if (attestationPem!.Length > MaxAttestationLength)
        {
            return PortalError.TooLarge("The attestation is larger than 64 KiB.");
        }

        var roots = await LoadRootsAsync(ct);
        try
        {
            var result = verifier.Verify(csr, attestationPem, roots);
            if (result.Passed)
            {
                return new AttestationReport(true, result.Message);
            }
            var failure = $"the {Describe(result.FailedCheck)} check failed: {result.Message}";
            // privacyIDEA refuses a key mismatch (and an unreadable attestation) always; a chain failure only under a policy that verifies.
            if (result.FailedCheck is AttestationCheck.Readable or AttestationCheck.PublicKey || requirement != AttestationRequirement.Ignore)
            {
                return PortalError.Validation($"The attestation was refused: {failure}" +
                                              (rule is null || result.FailedCheck is AttestationCheck.Readable or AttestationCheck.PublicKey ? "" : $" Policy '{rule.PolicyName}' requires a verified attestation."));
            }
            return new AttestationReport(false, failure);
        }
        finally
        {
            foreach (var root in roots)
            {
                root.Dispose();
            }
        }
    }

    private async Task<List<X509Certificate2>> LoadRootsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pems = await db.AttestationRoots.AsNoTracking().Select(r => r.CertificatePem).ToListAsync(ct);
        // Each row is a trusted chain (a root, maybe with intermediates); every certificate in it is trusted.
        var certificates = new List<X509Certificate2>();
        foreach (var pem in pems)
        {
            var chain = new X509Certificate2Collection();
            chain.ImportFromPem(pem);
            certificates.AddRange(chain);
        }
        return certificates;
    }

    private static string Describe(AttestationCheck? check) => check switch
    {
        AttestationCheck.Readable => "readability",
        AttestationCheck.PublicKey => "public key",
        AttestationCheck.Validity => "validity",
        AttestationCheck.Chain => "chain",
        _ => "attestation",
    };
}
