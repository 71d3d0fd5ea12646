using Microsoft.AspNetCore.Identity;

namespace CertTokenPortal.Core.Identity;

/// <summary>An account of the portal: the same account logs in to the browser UI and to the HTTP API.</summary>
public class PortalUser : IdentityUser
{
    /// <summary>The realm the user belongs to (privacyIDEA's notion of a user domain).</summary>
    public string Realm { get; set; } = "";

    public DateTime CreatedAt { get; set; }
}
