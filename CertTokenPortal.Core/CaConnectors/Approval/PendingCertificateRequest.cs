namespace CertTokenPortal.Core.CaConnectors.Approval;

/// <summary>Where a request of an approval-gated CA stands.</summary>
public enum PendingRequestStatus
{
    Pending,
    Approved,
    Denied,
}

/// <summary>
/// A request waiting at an approval-gated CA: the checked CSR (DER) and everything needed to issue it later. No
/// private key is ever stored here: keys generated on the server are not accepted by this CA (see
/// <see cref="ApprovalCaConnector"/>).
/// </summary>
public class PendingCertificateRequest
{
    public long Id { get; set; }
    /// <summary>The id the token shows (<c>info.requestId</c>), e.g. <c>APR-3F2A...</c>; unique.</summary>
    public string RequestId { get; set; } = "";
    /// <summary>The approval connector that holds the request.</summary>
    public int CaConnectorId { get; set; }
    public byte[] CsrDer { get; set; } = [];
    public string TemplateName { get; set; } = "";
    public string OwnerUserName { get; set; } = "";
    public string OwnerRealm { get; set; } = "";
    public string? OwnerEmail { get; set; }
    /// <summary>The owner's display name when the request was made, for templates whose CN is the display name.</summary>
    public string? OwnerDisplayName { get; set; }
    /// <summary>Owner attributes asked for on top of the template ("email", "realm"), comma separated.</summary>
    public string SubjectComponents { get; set; } = "";
    public PendingRequestStatus Status { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    /// <summary>Why it was denied.</summary>
    public string? Reason { get; set; }
    /// <summary>The certificate issued on approval, PEM.</summary>
    public string? CertificatePem { get; set; }
    public DateTime CreatedAt { get; set; }
}
