namespace CertTokenPortal.Core.CaConnectors;

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
