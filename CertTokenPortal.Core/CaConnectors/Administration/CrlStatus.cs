namespace CertTokenPortal.Core.CaConnectors.Administration;

/// <summary>A CA's current CRL as the admin page shows it.</summary>
public sealed record CrlStatus(string CaName, long Number, DateTime ThisUpdate, DateTime NextUpdate, int RevokedCount);
