using CertTokenPortal.Core.Tokens;

namespace CertTokenPortal.Core.Audit;

/// <summary>What happened, for one audit entry; the who and when are added by <see cref="IAuditLog"/>.</summary>
public sealed record AuditEvent(string Action, bool Success, string Message)
{
    public string? Serial { get; init; }
    public string? TargetUser { get; init; }
    public string? CaName { get; init; }

    public static AuditEvent Succeeded(string action, string message) => new(action, true, message);
    public static AuditEvent Failed(string action, string message) => new(action, false, message);

    /// <summary>This event about <paramref name="token"/>: its serial, its owner as target user, and its CA.</summary>
    public AuditEvent For(CertificateToken token) => this with
    {
        Serial = token.Serial, TargetUser = token.OwnerUserName, CaName = token.CaName,
    };
}
