namespace CertTokenPortal.Core.Audit;

/// <summary>What happened, for one audit entry; the who and when are added by <see cref="IAuditLog"/>.</summary>
public sealed record AuditEvent(string Action, bool Success, string Message)
{
    public string? Serial { get; init; }
    public string? TargetUser { get; init; }
    public string? CaName { get; init; }

    public static AuditEvent Succeeded(string action, string message) => new(action, true, message);
    public static AuditEvent Failed(string action, string message) => new(action, false, message);
}
