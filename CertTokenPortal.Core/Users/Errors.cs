using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Users;

/// <summary>The named errors of account administration.</summary>
public static class UserErrors
{
    public static readonly PortalError NotAllowedToList = PortalError.Forbidden("Only admins and helpdesk staff may list users.");
    public static readonly PortalError NotAllowedToLookUp = PortalError.Forbidden("Only admins and helpdesk staff may look up other users.");
    public static readonly PortalError NotAllowedToCreate = PortalError.Forbidden("Only admins may create users.");

    /// <summary>An actor without <c>ManageUsers</c> tried to <paramref name="what"/>.</summary>
    public static PortalError NotAllowed(string what) => PortalError.Forbidden($"Only admins may {what}.");

    public static PortalError NoSuchUser(string? userName) => PortalError.NotFound($"There is no user '{userName}'.");
    public static PortalError NoSuchUserInRealm(string userName, string realm) => PortalError.NotFound($"There is no user '{userName}' in realm '{realm}'.");
    public static PortalError NameTaken(string userName) => PortalError.Conflict($"A user named '{userName}' already exists.");
    public static PortalError NotARole(string role) => PortalError.Validation($"'{role}' is not a role. Choose admin, helpdesk or user.");
    public static readonly PortalError OwnAdminRole = PortalError.Conflict("You cannot take away your own admin role; ask another admin.");
    public static readonly PortalError OwnAccountLock = PortalError.Conflict("You cannot lock your own account.");
}
