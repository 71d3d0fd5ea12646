using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>What to issue: the checked request, the template name, and whom it is for.</summary>
public sealed record CaIssueRequest(ParsedCsr Csr, string TemplateName, CertificateOwner Owner)
{
    /// <summary>Owner attributes to add to the subject ("email", "realm"), on top of what the template adds.</summary>
    public IReadOnlyList<string> ExtraSubjectComponents { get; init; } = [];

    /// <summary>The token that will hold the certificate; the portal records it with the CA's ledger entry.</summary>
    public string? TokenSerial { get; init; }

    /// <summary>
    /// The key was generated on the server and exists only in memory until the PKCS#12 is built; a CA that cannot
    /// answer at once may refuse such a request rather than keep the key waiting.
    /// </summary>
    public bool KeyGeneratedOnServer { get; init; }
}
