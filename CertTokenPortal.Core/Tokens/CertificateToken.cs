namespace CertTokenPortal.Core.Tokens;

/// <summary>
/// A certificate token: one X.509 certificate with its owner and states, the way privacyIDEA's certificate token
/// holds it. A token is either fully enrolled, marked failed/denied/pending, or absent; never half-written.
/// </summary>
public class CertificateToken
{
    public const string TypeName = "certificate";

    public long Id { get; set; }

    /// <summary>"CRT" followed by 8 upper-case hex digits; unique.</summary>
    public string Serial { get; set; } = "";

    /// <summary>
    /// The owner's account id (<see cref="Identity.PortalUser"/>; for a directory user their shadow account, itself keyed
    /// by realm, resolver and the directory's stable id). Ownership is decided by it, so a renamed account keeps its
    /// tokens and a new account that takes a deleted one's name gets none of them. Null for unassigned tokens.
    /// </summary>
    public string? OwnerId { get; set; }

    /// <summary>The owner's name and realm as shown and filtered (privacyIDEA's <c>username</c>, <c>user_realm</c>); follows renames.</summary>
    public string OwnerUserName { get; set; } = "";
    public string OwnerRealm { get; set; } = "";
    public string Description { get; set; } = "";

    public bool Active { get; set; } = true;
    public bool Revoked { get; set; }
    public bool Locked { get; set; }
    public RolloutState RolloutState { get; set; }

    /// <summary>How the token was enrolled: request, genkey or certificate.</summary>
    public string EnrolmentMode { get; set; } = "";

    public string? CaName { get; set; }
    public string? TemplateName { get; set; }
    /// <summary>The CA's id for a request that waits for a decision (approval-gated or external CAs).</summary>
    public string? RequestId { get; set; }

    public string? CertificatePem { get; set; }
    /// <summary>The X.509 serial number as upper-case hex without separators.</summary>
    public string? CertificateSerial { get; set; }
    public string? Subject { get; set; }
    public string? Issuer { get; set; }
    public DateTime? NotBefore { get; set; }
    public DateTime? NotAfter { get; set; }
    /// <summary>A short description of the key, e.g. "RSA 2048" or "EC P-256".</summary>
    public string? KeyDescription { get; set; }

    /// <summary>The PKCS#12 of a key generated on the server, encrypted with Data Protection; never plain.</summary>
    public byte[]? EncryptedPkcs12 { get; set; }
    /// <summary>A salted hash of the token PIN; the PIN itself is never stored.</summary>
    public string? PinHash { get; set; }

    /// <summary>What the attestation check at enrolment found ("verified: ..." / "not verified: ..."); null when none ran.</summary>
    public string? AttestationInfo { get; set; }

    /// <summary>
    /// For an uploaded certificate: how it was trusted ("chains to CA 'localCA'", or "untrusted: ..." when a policy lets
    /// any certificate in). No CA issued it, so no CA is asked when it is revoked.
    /// </summary>
    public string? UploadTrust { get; set; }

    /// <summary>Why the enrolment failed or was denied, as the CA or approver said it.</summary>
    public string? FailureMessage { get; set; }
    public string? RevocationReason { get; set; }
    public DateTime? RevokedAt { get; set; }

    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency token: a concurrent change makes the later save fail instead of overwriting.</summary>
    public Guid Version { get; set; }
}
