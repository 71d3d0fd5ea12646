namespace CertTokenPortal.Core.Identity;

/// <summary>
/// The operations whose access depends on the role (the role table in README.md, section "Roles").
/// Ownership rules (a user acting on own tokens) are checked by the token service on top of these.
/// </summary>
public enum Permission
{
    EnrolForOthers,
    ViewAllTokens,
    RevokeAnyToken,
    /// <summary>Revoking with reason "CA compromise", which tells relying parties to distrust the whole CA.</summary>
    RevokeForCaCompromise,
    DeleteTokens,
    DownloadAnyPkcs12,
    /// <summary>Setting and deleting token-info entries (privacyIDEA's admin action <c>settokeninfo</c>).</summary>
    SetTokenInfo,
    ViewCaConnectors,
    ManageCaConnectors,
    ViewUsers,
    ManageUsers,
    ViewPolicies,
    ManagePolicies,
    ViewAudit,
    DecideApprovals,
    ViewDashboard,
    ManageNotifications,
}

/// <summary>
/// The single table of which role holds which permission. The browser (named authorization policies) and the
/// HTTP API both read it, so the two can never disagree.
/// </summary>
public static class RolePermissions
{
    private static readonly Dictionary<Permission, string[]> Table = new()
    {
        [Permission.EnrolForOthers] = [PortalRoles.Admin, PortalRoles.Helpdesk],
        [Permission.ViewAllTokens] = [PortalRoles.Admin, PortalRoles.Helpdesk],
        [Permission.RevokeAnyToken] = [PortalRoles.Admin, PortalRoles.Helpdesk],
        [Permission.RevokeForCaCompromise] = [PortalRoles.Admin],
        [Permission.DeleteTokens] = [PortalRoles.Admin],
        [Permission.DownloadAnyPkcs12] = [PortalRoles.Admin],
        [Permission.SetTokenInfo] = [PortalRoles.Admin],
        [Permission.ViewCaConnectors] = [PortalRoles.Admin, PortalRoles.Helpdesk],
        [Permission.ManageCaConnectors] = [PortalRoles.Admin],
        [Permission.ViewUsers] = [PortalRoles.Admin, PortalRoles.Helpdesk],
        [Permission.ManageUsers] = [PortalRoles.Admin],
        [Permission.ViewPolicies] = [PortalRoles.Admin, PortalRoles.Helpdesk],
        [Permission.ManagePolicies] = [PortalRoles.Admin],
        [Permission.ViewAudit] = [PortalRoles.Admin, PortalRoles.Helpdesk],
        [Permission.DecideApprovals] = [PortalRoles.Admin],
        [Permission.ViewDashboard] = [PortalRoles.Admin, PortalRoles.Helpdesk],
        [Permission.ManageNotifications] = [PortalRoles.Admin],
    };

    /// <summary>The roles that hold <paramref name="permission"/>.</summary>
    public static IReadOnlyList<string> RolesFor(Permission permission) => Table[permission];

    public static bool Allows(string role, Permission permission) => Table[permission].Contains(role);

    public static bool Allows(this Actor actor, Permission permission) => Allows(actor.Role, permission);

    /// <summary>The name of the ASP.NET Core authorization policy for a permission.</summary>
    public static string PolicyName(Permission permission) => permission.ToString();
}
