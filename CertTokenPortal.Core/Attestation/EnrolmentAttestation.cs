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
/// Applies the attestation rule of the effective policy to an enrolment: <c>ignore</c> looks at nothing;
/// <c>verify</c> checks what is given and reports a failure without stopping the enrolment;
/// <c>require_and_verify</c> refuses the enrolment unless an attestation is given and passes every check.
/// The checks themselves are the PKI engine's <see cref="AttestationVerifier"/>, against the roots admins uploaded.
/// </summary>
public sealed class EnrolmentAttestation(IDbContextFactory<PortalDbContext> dbFactory, AttestationVerifier verifier)
{
    private const int MaxAttestationLength = 64 * 1024;

    /// <returns>A report to record, null when there is nothing to record, or the refusal.</returns>
    public async Task<Result<AttestationReport?>> CheckAsync(EffectivePolicy policy, string mode, ParsedCsr? csr, string? attestationPem, CancellationToken ct)
    {
        var rule = policy.Attestation;
        if (rule is null || rule.Value == AttestationRequirement.Ignore || mode == EnrolmentModes.Certificate)
        {
            return Result<AttestationReport?>.Success(null);
        }
        var required = rule.Value == AttestationRequirement.RequireAndVerify;
        if (mode == EnrolmentModes.GenerateKey || csr is null)
        {
            return required
                ? PortalError.Forbidden($"Policy '{rule.PolicyName}' requires an attested hardware key; a key generated on the server cannot be attested. Send a certificate request with the attestation of its key.")
                : Result<AttestationReport?>.Success(null);
        }
        if (string.IsNullOrWhiteSpace(attestationPem))
        {
            return required
                ? PortalError.Forbidden($"Policy '{rule.PolicyName}' requires an attestation certificate for the key of the request ('attestation'); none was given.")
                : new AttestationReport(false, "no attestation was given.");
        }
        if (attestationPem.Length > MaxAttestationLength)
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
            return required
                ? PortalError.Forbidden($"The attestation was refused, {failure} Policy '{rule.PolicyName}' requires a verified attestation.")
                : new AttestationReport(false, $"{failure} (policy '{rule.PolicyName}' records this and lets the enrolment go on)");
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
        return pems.Select(p => X509Certificate2.CreateFromPem(p)).ToList();
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
