using CertTokenPortal.Core.Pki;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>What to revoke, why and since when.</summary>
public sealed record CaRevokeRequest(string SerialHex, RevocationReason Reason, DateTime RevokedAt);
