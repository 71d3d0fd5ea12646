namespace CertTokenPortal.Core.CaConnectors;

/// <summary>What a CA puts into a certificate it issues under this template name.</summary>
public class CertificateTemplateRecord
{
    public int Id { get; set; }
    public int CaConnectorId { get; set; }
    public CaConnectorRecord CaConnector { get; set; } = null!;

    public string Name { get; set; } = "";
    public int ValidityDays { get; set; }
    /// <summary>RFC 5280 key usage names, comma separated (e.g. "digitalSignature,keyEncipherment").</summary>
    public string KeyUsage { get; set; } = "";
    /// <summary>Extended key usage names or OIDs, comma separated (e.g. "clientAuth,emailProtection").</summary>
    public string ExtendedKeyUsage { get; set; } = "";
    /// <summary>Whether subject alternative names (DNS, email, UPN) are copied from the CSR.</summary>
    public bool CopySans { get; set; }
    /// <summary>Owner attributes added to the subject: "email" (emailAddress) and/or "realm" (OU), comma separated.</summary>
    public string SubjectComponents { get; set; } = "";
}
