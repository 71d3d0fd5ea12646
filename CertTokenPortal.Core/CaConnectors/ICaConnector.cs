using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>
/// A certificate authority the portal can send requests to. One implementation per connector kind (<see cref="Type"/>),
/// created by its <see cref="ICaConnectorFactory"/>. Optional abilities are separate interfaces:
/// <see cref="ICrlPublisher"/>, <see cref="IOcspResponder"/>, <see cref="IPendingRequestSource"/>.
/// </summary>
/// <remarks>
/// Connectors take the caller's <see cref="PortalDbContext"/> and add their bookkeeping (the ledger row of an issued
/// certificate, a revocation) to it without saving, so that the CA's record and the token commit in one transaction.
/// </remarks>
public interface ICaConnector
{
    /// <summary>The unique connector name, e.g. <c>localCA</c>.</summary>
    string Name { get; }

    /// <summary>The connector kind, e.g. <c>local</c>.</summary>
    string Type { get; }

    /// <summary>The template used when a request names none; null when the connector has no default.</summary>
    string? DefaultTemplate => null;

    /// <summary>
    /// Signs (or submits) a checked CSR under a template. A refusal of the input (unknown template, a subject the
    /// template cannot fill) is a failed <see cref="Result{T}"/> and changes nothing; a CA that was asked and
    /// failed or refused answers with <see cref="CaIssueOutcome.Failed"/> or <see cref="CaIssueOutcome.Denied"/>.
    /// </summary>
    Task<Result<CaIssueOutcome>> IssueAsync(PortalDbContext db, CaIssueRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes a certificate this CA issued. Fails with <see cref="ErrorKind.Conflict"/> when it is already revoked
    /// (so that two concurrent revocations give one success), <see cref="ErrorKind.NotFound"/> when the CA does not
    /// know the serial number.
    /// </summary>
    Task<Result> RevokeAsync(PortalDbContext db, CaRevokeRequest request, CancellationToken cancellationToken);
}

/// <summary>What to issue: the checked request, the template name, and whom it is for.</summary>
public sealed record CaIssueRequest(ParsedCsr Csr, string TemplateName, CertificateOwner Owner)
{
    /// <summary>Owner attributes to add to the subject ("email", "realm"), on top of what the template adds.</summary>
    public IReadOnlyList<string> ExtraSubjectComponents { get; init; } = [];

    /// <summary>The token that will hold the certificate; recorded with it in the CA's ledger.</summary>
    public string? TokenSerial { get; init; }

    /// <summary>
    /// The key was generated on the server and exists only in memory until the PKCS#12 is built; a CA that cannot
    /// answer at once may refuse such a request rather than keep the key waiting.
    /// </summary>
    public bool KeyGeneratedOnServer { get; init; }
}

/// <summary>The owner of a token, with the attributes a template may copy into the subject.</summary>
public sealed record CertificateOwner(string UserName, string Realm, string? Email)
{
    /// <summary>The owner's role: the owner's policy is the one that governs an enrolment, whoever makes it.</summary>
    public string Role { get; init; } = Identity.PortalRoles.User;
}

/// <summary>What the CA did with a request.</summary>
public abstract record CaIssueOutcome
{
    private CaIssueOutcome() { }

    /// <summary>The certificate was issued.</summary>
    public sealed record Issued(IssuedCertificate Certificate) : CaIssueOutcome;

    /// <summary>The CA will decide later; poll or wait for an approval with <see cref="RequestId"/>.</summary>
    public sealed record Pending(string RequestId) : CaIssueOutcome;

    /// <summary>The CA refused the request.</summary>
    public sealed record Denied(string Reason, string? RequestId = null) : CaIssueOutcome;

    /// <summary>The CA could not be reached or failed; the message is the CA's.</summary>
    public sealed record Failed(string Message) : CaIssueOutcome;
}

/// <summary>A certificate a CA issued, with its chain up to (and including) the root.</summary>
public sealed record IssuedCertificate(
    System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate,
    IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> Chain)
{
    /// <summary>The X.509 serial number as upper-case hex without separators.</summary>
    public string SerialHex => Certificate.SerialNumber;
    public string Pem => Certificate.ExportCertificatePem();
}

/// <summary>What to revoke, why and since when.</summary>
public sealed record CaRevokeRequest(string SerialHex, RevocationReason Reason, DateTime RevokedAt);
