namespace CertTokenPortal.Core.CaConnectors;

/// <summary>A published CRL and its facts.</summary>
public sealed record CrlInfo(long Number, DateTime ThisUpdate, DateTime NextUpdate, int RevokedCount, byte[] Der);
