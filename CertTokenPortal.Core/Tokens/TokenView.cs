using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Core.Tokens;

/// <summary>
/// A token as lists, pages and the API show it. It never carries the PIN (or its hash) or a PKCS#12 password, and
/// the private key only inside the PIN-protected PKCS#12 when that was asked for and the caller may download it
/// (<see cref="Pkcs12Base64"/>); otherwise only whether a stored PKCS#12 exists.
/// </summary>
public sealed record TokenView(
    string Serial,
    string TokenType,
    string Description,
    string UserName,
    string Realm,
    bool Active,
    bool Revoked,
    bool Locked,
    RolloutState RolloutState,
    string EnrolmentMode,
    string? CaName,
    string? TemplateName,
    string? RequestId,
    string? CertificatePem,
    string? CertificateSerial,
    string? Subject,
    string? Issuer,
    DateTime? NotBefore,
    DateTime? NotAfter,
    string? KeyDescription,
    bool HasPkcs12,
    string? FailureMessage,
    string? RevocationReason,
    DateTime? RevokedAt,
    string CreatedBy,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    /// <summary>What the attestation check at enrolment found, when one ran (policy <c>certificate_require_attestation</c>).</summary>
    public string? Attestation { get; init; }

    /// <summary>For an uploaded certificate: how it was trusted (it chains to a configured CA, or a policy let it in untrusted).</summary>
    public string? UploadTrust { get; init; }

    /// <summary>
    /// Revoking an uploaded certificate only marks the token: no CA issued it, so no CA was asked and no CRL lists it.
    /// Null for certificates of a CA connector.
    /// </summary>
    public string? RevocationNote => EnrolmentMode == EnrolmentModes.Certificate && Revoked
        ? "Revoked in the portal only: this certificate was uploaded, so no CA was asked to revoke it and no CRL lists it. Relying parties still accept it until it expires."
        : null;

    /// <summary>The token's database id (privacyIDEA's <c>id</c>).</summary>
    public long Id { get; init; }

    /// <summary>The owner's account id (privacyIDEA's <c>user_id</c>), when the owner's account was looked up.</summary>
    public string? UserId { get; init; }

    /// <summary>The account id the token records as its owner (see <see cref="CertificateToken.OwnerId"/>).</summary>
    public string? OwnerId { get; init; }

    /// <summary>The resolver the owner's account comes from, when it was looked up; "" otherwise.</summary>
    public string Resolver { get; init; } = "";

    /// <summary>
    /// The token-info entries admins set with <c>/token/info/&lt;serial&gt;/&lt;key&gt;</c>, when they were attached
    /// (<see cref="Info.TokenInfoEntries"/>); never one of the portal's own keys.
    /// </summary>
    public IReadOnlyDictionary<string, string> ExtraInfo { get; init; } = EmptyInfo;

    /// <summary>
    /// The stored PKCS#12 (base64, still protected by its PIN) for privacyIDEA's <c>info.pkcs12</c>: filled only when
    /// asked for and only for a caller who may download it (<see cref="Listing.StoredPkcs12s"/>).
    /// </summary>
    public string? Pkcs12Base64 { get; init; }

    private static readonly IReadOnlyDictionary<string, string> EmptyInfo = new Dictionary<string, string>();

    /// <summary>Whole days until the certificate expires (negative once expired), or null without a certificate.</summary>
    public int? DaysUntilExpiry(DateTime nowUtc) =>
        NotAfter is { } end ? (int)Math.Floor((end - nowUtc).TotalDays) : null;

    /// <summary>The projection from the entity, usable inside EF queries (so only these columns are read).</summary>
    public static System.Linq.Expressions.Expression<Func<CertificateToken, TokenView>> Projection { get; } = t => new TokenView(
        t.Serial, CertificateToken.TypeName, t.Description, t.OwnerUserName, t.OwnerRealm, t.Active, t.Revoked, t.Locked,
        t.RolloutState, t.EnrolmentMode, t.CaName, t.TemplateName, t.RequestId, t.CertificatePem, t.CertificateSerial,
        t.Subject, t.Issuer, t.NotBefore, t.NotAfter, t.KeyDescription, t.EncryptedPkcs12 != null, t.FailureMessage,
        t.RevocationReason, t.RevokedAt, t.CreatedBy, t.CreatedAt, t.UpdatedAt)
    {
        Attestation = t.AttestationInfo,
        UploadTrust = t.UploadTrust,
        Id = t.Id,
        OwnerId = t.OwnerId,
    };

    private static readonly Func<CertificateToken, TokenView> Compiled = Projection.Compile();

    public static TokenView From(CertificateToken token) => Compiled(token);
}

/// <summary>The enrolment modes, by their API names.</summary>
public static class EnrolmentModes
{
    /// <summary>The user's CSR was signed; the key stayed with the user.</summary>
    public const string Request = "request";
    /// <summary>The server generated the key and handed out a PKCS#12.</summary>
    public const string GenerateKey = "genkey";
    /// <summary>An existing certificate was uploaded; no CA was involved.</summary>
    public const string Certificate = "certificate";
}
