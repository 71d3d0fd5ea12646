namespace CertTokenPortal.Core.Policies;

/// <summary>
/// A policy as an admin wrote it, in privacyIDEA's shape: a scope, an action string of <c>key=value</c> entries, the
/// realms and roles it applies to, and a priority (lower wins). Stored as written (canonicalised); it is parsed into
/// <see cref="PolicyActions"/> whenever it is evaluated, and was checked for consistency when saved.
/// </summary>
public class EnrolmentPolicy
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary>Only <c>enrollment</c> so far (privacyIDEA's spelling).</summary>
    public string Scope { get; set; } = PolicyScopes.Enrollment;
    /// <summary>Comma-separated <c>key=value</c> or bare <c>key</c> entries, e.g. <c>max_token_per_user=2, certificate_ca_connector=localCA</c>.</summary>
    public string Action { get; set; } = "";
    /// <summary>Comma-separated realms; empty means every realm.</summary>
    public string Realms { get; set; } = "";
    /// <summary>Comma-separated roles (user, helpdesk, admin) of the token's owner; empty means every role.</summary>
    public string Roles { get; set; } = "";
    /// <summary>Where two policies set the same action, the lower number wins.</summary>
    public int Priority { get; set; } = 1;
    public bool Active { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string UpdatedBy { get; set; } = "";
}

/// <summary>The policy scopes the portal knows.</summary>
public static class PolicyScopes
{
    public const string Enrollment = "enrollment";

    public static IReadOnlyList<string> All { get; } = [Enrollment];
}
