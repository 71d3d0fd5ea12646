namespace CertTokenPortal.Core.CaConnectors.Local;

/// <summary>The status of a certificate in its CA's ledger.</summary>
public enum IssuedCertificateStatus
{
    Valid,
    Revoked,
}

/// <summary>
/// One certificate a CA issued, like a line of an <c>openssl ca</c> index: written in the same transaction as the
/// token that holds it. The local CA's CRL and OCSP answers are built from these rows.
/// </summary>
public class IssuedCertificateRecord
{
    public long Id { get; set; }
    public int CaConnectorId { get; set; }

    /// <summary>The X.509 serial number as upper-case hex without separators; unique per CA.</summary>
    public string SerialNumber { get; set; } = "";
    public string Subject { get; set; } = "";
    public DateTime NotBefore { get; set; }
    public DateTime NotAfter { get; set; }
    public IssuedCertificateStatus Status { get; set; }
    public DateTime? RevokedAt { get; set; }
    /// <summary>The RFC 5280 reason code of the revocation.</summary>
    public int? RevocationReason { get; set; }
    /// <summary>The token that holds the certificate.</summary>
    public string? TokenSerial { get; set; }
    public DateTime IssuedAt { get; set; }

    /// <summary>The ledger line for a certificate a CA handed back, held by token <paramref name="tokenSerial"/>.</summary>
    public static IssuedCertificateRecord From(CaLedgerEntry entry, string? tokenSerial, DateTime issuedAt) => new()
    {
        CaConnectorId = entry.CaConnectorId,
        SerialNumber = entry.SerialHex,
        Subject = entry.Subject,
        NotBefore = entry.NotBefore,
        NotAfter = entry.NotAfter,
        Status = IssuedCertificateStatus.Valid,
        TokenSerial = tokenSerial,
        IssuedAt = issuedAt,
    };
}
