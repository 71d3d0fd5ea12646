namespace CertTokenPortal.Core.CaConnectors;

/// <summary>The owner of a token, with the attributes a template may copy into the subject.</summary>
public sealed record CertificateOwner(string UserName, string Realm, string? Email)
{
    /// <summary>The owner's role: the owner's policy is the one that governs an enrolment, whoever makes it.</summary>
    public string Role { get; init; } = Identity.PortalRoles.User;

    /// <summary>The owner's account id (a portal account or a directory user's shadow account); the token records it.</summary>
    public string? AccountId { get; init; }

    /// <summary>The name people read (display name, else given name and surname); null when the account has none.</summary>
    public string? DisplayName { get; init; }

    /// <summary>The CN a template that binds the subject to the display name gives: the display name, else the user name.</summary>
    public string CommonName(bool displayName) => displayName && !string.IsNullOrWhiteSpace(DisplayName) ? DisplayName : UserName;
}
