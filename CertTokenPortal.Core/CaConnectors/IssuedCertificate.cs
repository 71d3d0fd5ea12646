using System.Security.Cryptography.X509Certificates;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>A certificate a CA issued, with its chain up to (and including) the root.</summary>
public sealed record IssuedCertificate(X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> Chain)
{
    /// <summary>The X.509 serial number as upper-case hex without separators.</summary>
    public string SerialHex => Certificate.SerialNumber;

    public string Pem => Certificate.ExportCertificatePem();

    /// <summary>
    /// The line the portal must add to the CA's ledger together with the token (the local CA's CRL and OCSP answers
    /// are built from it); null for a CA that keeps its ledger elsewhere.
    /// </summary>
    public CaLedgerEntry? LedgerEntry { get; init; }
}
