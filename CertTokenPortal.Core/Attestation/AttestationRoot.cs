namespace CertTokenPortal.Core.Attestation;

/// <summary>
/// A root certificate trusted to vouch for hardware keys (e.g. the YubiKey PIV attestation root), uploaded by an
/// admin. Attestations at enrolment must chain to one of these.
/// </summary>
public class AttestationRoot
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string CertificatePem { get; set; } = "";
    public string Subject { get; set; } = "";
    /// <summary>SHA-256 of the DER certificate, upper-case hex; the same certificate is trusted once.</summary>
    public string Thumbprint { get; set; } = "";
    public DateTime NotAfter { get; set; }
    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}

/// <summary>A trusted attestation root as lists show it.</summary>
public sealed record AttestationRootView(string Name, string Subject, string Thumbprint, DateTime NotAfter, DateTime CreatedAt, string CreatedBy, string CertificatePem)
{
    public static AttestationRootView From(AttestationRoot r) => new(r.Name, r.Subject, r.Thumbprint, r.NotAfter, r.CreatedAt, r.CreatedBy, r.CertificatePem);
}
