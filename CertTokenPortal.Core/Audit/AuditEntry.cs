namespace CertTokenPortal.Core.Audit;

/// <summary>One line of the audit log: who did what, to what, when, and how it ended.</summary>
public class AuditEntry
{
    public long Id { get; set; }
    public DateTime Timestamp { get; set; }

    public string UserName { get; set; } = "";
    public string Realm { get; set; } = "";
    public string Role { get; set; } = "";
    public string? ClientAddress { get; set; }

    /// <summary>A dotted action name such as <c>auth.login</c> or <c>token.revoke</c>; see <see cref="AuditActions"/>.</summary>
    public string Action { get; set; } = "";
    public string? Serial { get; set; }
    public string? TargetUser { get; set; }
    public string? CaName { get; set; }

    public bool Success { get; set; }
    public string Message { get; set; } = "";
}
