using System.ComponentModel.DataAnnotations;

namespace CertTokenPortal.Core.CaConnectors.Local;

/// <summary>The <c>Portal:DefaultCa</c> section: the local root CA created on first start, so the portal can issue at once.</summary>
public sealed class DefaultCaOptions
{
    public const string Section = "Portal:DefaultCa";

    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "Portal:DefaultCa:Name may hold letters, digits, '.', '_' and '-' only.")]
    public string Name { get; set; } = "localCA";

    [Required]
    public string Subject { get; set; } = "CN=CertTokenPortal Root CA";

    /// <summary>
    /// <c>rsa</c> or <c>ec</c>. RSA 3072 by default: every client stack that may meet these certificates (old Windows
    /// smart-card logon, embedded TLS stacks) verifies RSA, and 3072 bits is the strength NIST expects past 2030.
    /// </summary>
    public string KeyType { get; set; } = "rsa";

    public string? KeySize { get; set; } = "3072";

    public string? Curve { get; set; }

    [Range(1, 36500)]
    public int ValidityDays { get; set; } = 3650;

    [Range(1, 365)]
    public int CrlValidityDays { get; set; } = 7;

    [Range(0, 364)]
    public int CrlOverlapDays { get; set; } = 2;
}
