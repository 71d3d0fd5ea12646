using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.Policies;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>
/// An accepted upload: what the token records about its trust, and the policy that makes it wait for an approver
/// (the owner's policy sends their requests through an approval-gated CA, which an upload must not bypass), if any.
/// </summary>
public sealed record UploadVerdict(string Trust, string? ApprovalPolicy)
{
    /// <summary>The approval-gated CA that <see cref="ApprovalPolicy"/> requires; its approvers decide the upload.</summary>
    public string? ApprovalCa { get; init; }
}

/// <summary>
/// Judges a certificate that is uploaded to be tracked as a token: no CA certificates, only certificates valid now,
/// keys as strong as a CSR's must be (and the policy's <c>key_rules</c>), and a chain to one of the portal's CAs (their
/// roots are the trust anchors). A policy with <c>certificate_upload_trust=any</c> lets other certificates in, marked
/// untrusted. Returns what the token records about the trust.
/// </summary>
public sealed class UploadedCertificateCheck(IDbContextFactory<PortalDbContext> dbFactory, ICaConnectorRegistry caConnectors, TimeProvider clock)
{
    private const string BasicConstraintsOid = "2.5.29.19";

    public async Task<Result<UploadVerdict>> CheckAsync(X509Certificate2 certificate, EffectivePolicy policy, CancellationToken ct)
    {
        if (policy.AllowUpload is { Value: false } forbidden)
        {
            return EnrolmentErrors.UploadNotAllowed(forbidden.PolicyName);
        }
        // A policy that sends the owner's requests through an approval would be bypassed by an upload taken at once:
        // the upload waits for an approver instead, as the CA's requests do.
        string? approvalPolicy = null;
        string? approvalCa = null;
        if (policy.CaConnector is { } forced && (await caConnectors.GetAsync(forced.Value, ct)).TryGetValue(out var ca, out _) &&
            ca.Type == CaConnectors.Approval.ApprovalCaConnector.TypeName)
        {
            (approvalPolicy, approvalCa) = (forced.PolicyName, ca.Name);
        }
        if (certificate.Extensions[BasicConstraintsOid] is X509BasicConstraintsExtension { CertificateAuthority: true } ||
            certificate.Extensions.OfType<X509KeyUsageExtension>().Any(k => k.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign)))
        {
            return EnrolmentErrors.UploadRefused("it is a CA certificate; a token holds an end-entity certificate");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        if (certificate.NotBefore.ToUniversalTime() > now)
        {
            return EnrolmentErrors.UploadRefused($"it is not valid before {certificate.NotBefore.ToUniversalTime():u}");
        }
        if (certificate.NotAfter.ToUniversalTime() < now)
        {
            return EnrolmentErrors.UploadRefused($"it expired on {certificate.NotAfter.ToUniversalTime():u}");
        }
        if (CheckKey(certificate, policy) is { } weak)
        {
            return weak;
        }
        return (await CheckTrustAsync(certificate, policy, now, ct)).Map(trust => new UploadVerdict(trust, approvalPolicy) { ApprovalCa = approvalCa });
    }

    private static PortalError? CheckKey(X509Certificate2 certificate, EffectivePolicy policy)
    {
        (KeyAlgorithmKind Kind, int Bits, string? Curve) key;
        switch (certificate.PublicKey.Oid.Value)
        {
            case CurveNames.RsaEncryptionOid:
                using (var rsa = certificate.GetRSAPublicKey())
                {
                    key = (KeyAlgorithmKind.Rsa, rsa?.KeySize ?? 0, null);
                }
                if (key.Bits < CsrParser.MinRsaBits)
                {
                    return EnrolmentErrors.UploadRefused($"its RSA key has {key.Bits} bits; at least {CsrParser.MinRsaBits} are required");
                }
                break;
            case CurveNames.EcPublicKeyOid:
                var curveOid = ReadCurveOid(certificate.PublicKey.EncodedParameters?.RawData ?? []);
                if (curveOid is null || CurveNames.Accept(curveOid) is not { } curve)
                {
                    return EnrolmentErrors.UploadRefused($"its EC curve {(curveOid is null ? "is not named" : CurveNames.Describe(curveOid))}; use P-256, P-384 or P-521");
                }
                key = (KeyAlgorithmKind.Ec, curve.Bits, curve.Name);
                break;
            default:
                return EnrolmentErrors.UploadRefused($"its key algorithm {certificate.PublicKey.Oid.Value} is not supported; RSA and EC keys are");
        }
        if (policy.KeyRules is { } rules && !rules.Value.Allows(key.Kind, key.Bits, key.Curve))
        {
            var described = key.Kind == KeyAlgorithmKind.Rsa ? $"RSA {key.Bits}" : $"EC {key.Curve}";
            return PortalError.Forbidden($"Policy '{rules.PolicyName}' allows only keys of {rules.Value.Describe()}; this certificate has {described}.");
        }
        return null;
    }

    private async Task<Result<string>> CheckTrustAsync(X509Certificate2 certificate, EffectivePolicy policy, DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cas = await db.LocalCas.AsNoTracking().Select(l => new { l.CaConnector.Name, l.CertificatePem, l.ChainPem }).ToListAsync(ct);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // An uploaded certificate's AIA URLs are the uploader's: the portal fetches nothing on their word.
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now;
        var loaded = new List<X509Certificate2>();
        var caByThumbprint = new Dictionary<string, string>();
        try
        {
            foreach (var ca in cas)
            {
                var all = new X509Certificate2Collection();
                all.ImportFromPem(ca.CertificatePem + "\n" + ca.ChainPem);
                if (all.Count > 0)
                {
                    caByThumbprint.TryAdd(all[0].Thumbprint, ca.Name);
                }
                foreach (var c in all)
                {
                    loaded.Add(c);
                    (c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData) ? chain.ChainPolicy.CustomTrustStore : chain.ChainPolicy.ExtraStore).Add(c);
                }
            }
            if (chain.Build(certificate))
            {
                var issuer = chain.ChainElements.Count > 1 ? chain.ChainElements[1].Certificate : null;
                return issuer is null || !caByThumbprint.TryGetValue(issuer.Thumbprint, out var caName) ? $"chains to the trusted root {chain.ChainElements[^1].Certificate.Subject}" : $"chains to CA '{caName}'";
            }
            var why = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            if (policy.UploadTrust is { Value: UploadTrustRule.Any } any)
            {
                return $"untrusted: it does not chain to a CA of this portal ({why}); accepted by policy '{any.PolicyName}'";
            }
            return EnrolmentErrors.UploadRefused($"it does not chain to a CA of this portal or its root ({(why.Length == 0 ? "unknown issuer" : why)})");
        }
        finally
        {
            loaded.ForEach(c => c.Dispose());
        }
    }

    private static string? ReadCurveOid(byte[] parameters)
    {
        try
        {
            return new AsnReader(parameters, AsnEncodingRules.DER).ReadObjectIdentifier();
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
