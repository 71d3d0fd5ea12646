using System.ComponentModel.DataAnnotations;

namespace CertTokenPortal.Core.CaConnectors.Local;

/// <summary>The <c>Portal:Crl</c> section: how often the CRL refresher looks for CRLs that are due.</summary>
public sealed class CrlRefreshOptions
{
    public const string Section = "Portal:Crl";

    [Range(1, 1440)]
    public int CheckIntervalMinutes { get; set; } = 30;
}
