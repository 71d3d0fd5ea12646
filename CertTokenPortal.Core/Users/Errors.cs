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
    public static PortalError NameTooLong(string field, int max) => PortalError.Validation($"The {field} may have at most {max} characters.");
    public static PortalError NameNotPrintable(string field) => PortalError.Validation($"The {field} may not hold line breaks or other control characters.");
    /// <summary>A directory user's password is the directory's: the portal neither knows nor changes it (409, not a bad input).</summary>
    public static PortalError PasswordManagedByDirectory(string realm) =>
        PortalError.Conflict($"Your password is managed by the directory of realm '{realm}'; change it there (e.g. with your company's password tool), not in this portal.");

    /// <summary>Names and email of a directory user come from the directory at every lookup; an edit here would be overwritten.</summary>
    public static PortalError DetailsManagedByDirectory(string userName, string realm) =>
        PortalError.Conflict($"The names and email of '{userName}' come from the directory of realm '{realm}'; change them there.");

    public static readonly PortalError OwnAccountLock = PortalError.Conflict("You cannot lock your own account.");
}
