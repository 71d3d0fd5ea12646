namespace CertTokenPortal.Core.CaConnectors;

/// <summary>The owner of a token, with the attributes a template may copy into the subject.</summary>
public sealed record CertificateOwner(string UserName, string Realm, string? Email)
{
    /// <summary>The owner's role: the owner's policy is the one that governs an enrolment, whoever makes it.</summary>
    public string Role { get; init; } = Identity.PortalRoles.User;
}
