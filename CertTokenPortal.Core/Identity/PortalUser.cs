using Microsoft.AspNetCore.Identity;

namespace CertTokenPortal.Core.Identity;

/// <summary>An account of the portal: the same account logs in to the browser UI and to the HTTP API.</summary>
public class PortalUser : IdentityUser
{
    /// <summary>The realm the user belongs to (privacyIDEA's notion of a user domain).</summary>
    public string Realm { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// For a directory user's shadow account: the resolver that holds them; null for the portal's own accounts.
    /// With <see cref="Realm"/> and <see cref="ExternalId"/> it names the user for good, whatever the directory renames.
    /// </summary>
    public string? Resolver { get; set; }

    /// <summary>The resolver's stable id of the user (entryUUID, objectGUID or DN, by its UIDTYPE).</summary>
    public string? ExternalId { get; set; }

    /// <summary>
    /// The name people read (e.g. "Alice Miller"): set by an admin for a portal account, taken from the directory's
    /// USERINFO mapping at each lookup for a directory user. Templates may put it into the subject's CN.
    /// </summary>
    public string? DisplayName { get; set; }

    /// <summary>privacyIDEA's <c>givenname</c>.</summary>
    public string? GivenName { get; set; }

    /// <summary>privacyIDEA's <c>surname</c>.</summary>
    public string? Surname { get; set; }
}
