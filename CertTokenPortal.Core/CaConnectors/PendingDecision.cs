namespace CertTokenPortal.Core.CaConnectors;

/// <summary>A decision on one pending request: which request, for which token, by whom, and (for a denial) why.</summary>
public sealed record PendingDecision(string RequestId, string TokenSerial, string DecidedBy, string? Reason = null);
