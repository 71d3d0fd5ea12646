namespace CertTokenPortal.Core.Identity;

/// <summary>
/// Who is calling a Core service: the authenticated user, their role, and where the call came from.
/// The web layer builds it from the login (cookie or JWT); Core never looks at HTTP.
/// </summary>
public sealed record Actor(string UserName, string Realm, string Role, string? ClientAddress)
{
    public bool IsAdmin => Role == PortalRoles.Admin;
    public bool IsHelpdesk => Role == PortalRoles.Helpdesk;
    public bool IsEndUser => Role == PortalRoles.User;

    /// <summary>
    /// The account's id, when the login carries it (every login made by this version does). Token ownership is decided
    /// by it, not by the name, so a renamed account keeps its tokens and a new account with an old name gets none.
    /// </summary>
    public string? AccountId { get; init; }

    /// <summary>Whether this actor owns what belongs to the account <paramref name="ownerId"/> named <paramref name="userName"/>.</summary>
    public bool Owns(string? ownerId, string userName, string realm) =>
        AccountId is not null ? ownerId == AccountId : Is(userName, realm);

    /// <summary>Whether this actor is the given owner (user names compare case-insensitively, as Identity does).</summary>
    public bool Is(string userName, string realm) =>
        string.Equals(UserName, userName, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(Realm, realm, StringComparison.OrdinalIgnoreCase);

    /// <summary>The portal itself, for work done by background services and start-up seeding.</summary>
    public static Actor System { get; } = new("system", "", PortalRoles.Admin, null);
}
