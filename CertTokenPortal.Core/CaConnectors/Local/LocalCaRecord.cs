namespace CertTokenPortal.Core.CaConnectors.Local;

/// <summary>
/// The key material and CRL state of a CA whose key this portal holds (<c>type=local</c>).
/// The private key is stored only encrypted with Data Protection.
/// </summary>
public class LocalCaRecord
{
    public int CaConnectorId { get; set; }
    public CaConnectorRecord CaConnector { get; set; } = null!;

    /// <summary>The CA certificate, PEM.</summary>
    public string CertificatePem { get; set; } = "";
    /// <summary>The certificates above the CA certificate (issuers up to the root), PEM; empty for a root.</summary>
    public string ChainPem { get; set; } = "";
    /// <summary>The CA private key as PKCS#8 DER, encrypted with Data Protection.</summary>
    public byte[] EncryptedPrivateKey { get; set; } = [];
    /// <summary>e.g. "RSA 3072" or "EC P-384".</summary>
    public string KeyDescription { get; set; } = "";
    public string Subject { get; set; } = "";
    public DateTime NotAfter { get; set; }

    public int CrlValidityDays { get; set; } = 7;
    public int CrlOverlapDays { get; set; } = 2;
    /// <summary>The number of the last CRL published; the next CRL takes the next number (strictly increasing).</summary>
    public long CrlNumber { get; set; }
    public byte[]? CrlDer { get; set; }
    public DateTime? CrlThisUpdate { get; set; }
    public DateTime? CrlNextUpdate { get; set; }
    /// <summary>How many entries the published CRL lists.</summary>
    public int CrlRevokedCount { get; set; }
}
