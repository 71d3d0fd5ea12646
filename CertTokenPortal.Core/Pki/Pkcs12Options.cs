using System.ComponentModel.DataAnnotations;

namespace CertTokenPortal.Core.Pki;

/// <summary>The <c>Portal:Pkcs12</c> section: how PKCS#12 files are protected.</summary>
public sealed class Pkcs12Options
{
    public const string Section = "Portal:Pkcs12";

    /// <summary>
    /// PBKDF2 iterations for each encrypted bag and for the MAC. The ceiling is .NET's X509CertificateLoader default
    /// per-KDF limit (300,000): above it .NET refuses to open the file, and three KDFs stay under its total limit.
    /// </summary>
    [Range(2048, 300_000)]
    public int Iterations { get; set; } = 100_000;
}
