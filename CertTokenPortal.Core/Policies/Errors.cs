using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Policies;

/// <summary>The named errors of policy administration.</summary>
public static class PolicyErrors
{
    public static readonly PortalError NotAllowedToView = PortalError.Forbidden("Only admins and helpdesk staff may view policies.");
    public static readonly PortalError NotAllowedToChange = PortalError.Forbidden("Only admins may change policies.");
    public static readonly PortalError NotAllowedToDelete = PortalError.Forbidden("Only admins may delete policies.");
}
