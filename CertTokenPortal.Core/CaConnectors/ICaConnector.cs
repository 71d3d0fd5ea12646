using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>
/// A certificate authority the portal can send requests to. One implementation per connector kind (<see cref="Type"/>),
/// created by its <see cref="ICaConnectorFactory"/>. Optional abilities are separate interfaces:
/// <see cref="ICrlPublisher"/>, <see cref="IOcspResponder"/>, <see cref="IPendingRequestSource"/>,
/// <see cref="IManualApproval"/>, <see cref="ICertificateHoldRelease"/>, <see cref="ICaCertificateChain"/> and
/// <see cref="ICaTemplateCatalog"/>.
/// </summary>
/// <remarks>
/// A connector signs, revokes and answers; it never takes or writes the portal's <c>PortalDbContext</c>. What it
/// issued comes back as plain values (<see cref="IssuedCertificate"/>, with the <see cref="CaLedgerEntry"/> the portal
/// keeps), and the token service records them with the token in one transaction. A connector that keeps state of its
/// own (the local CA's keys, revocations and CRLs) reaches it through its own store, never the caller's context.
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
    Task<Result<CaIssueOutcome>> IssueAsync(CaIssueRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes a certificate this CA issued, at once (the revocation is the CA's, committed before this returns).
    /// Fails with <see cref="ErrorKind.Conflict"/> when it is already revoked (so that two concurrent revocations give
    /// one success), <see cref="ErrorKind.NotFound"/> when the CA does not know the serial number.
    /// </summary>
    Task<Result> RevokeAsync(CaRevokeRequest request, CancellationToken cancellationToken);
}
