using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Api;

/// <summary>
/// What <c>/auth</c> and <c>/auth/rights</c> tell a privacyIDEA client about a role: its rights (privacyIDEA's action
/// names, derived from the one role table so that they can never disagree with what the endpoints allow) and its
/// main menus.
/// </summary>
internal static class ApiRights
{
    /// <summary>privacyIDEA's log level value for "warning" (its PI_LOGLEVEL default), which clients only display.</summary>
    public const int LogLevel = 30;

    /// <summary>Rights every logged-in role holds for the tokens it may act on.</summary>
    private static readonly string[] OwnTokenRights =
        ["enrollCERTIFICATE", "tokenlist", "enable", "disable", "revoke", "setdescription", "setpin", "settokeninfo"];

    private static readonly (Permission Permission, string[] Rights)[] ByPermission =
    [
        (Permission.EnrolForOthers, ["assign", "unassign", "set"]),
        (Permission.DeleteTokens, ["delete"]),
        (Permission.ViewUsers, ["userlist"]),
        (Permission.ManageUsers, ["adduser", "updateuser", "deleteuser"]),
        (Permission.ViewPolicies, ["policyread"]),
        (Permission.ManagePolicies, ["policywrite", "policydelete"]),
        (Permission.ViewCaConnectors, ["caconnectorread"]),
        (Permission.ManageCaConnectors, ["caconnectorwrite", "caconnectordelete"]),
        (Permission.ViewAudit, ["auditlog"]),
    ];

    public static IReadOnlyList<string> RightsOf(string role) =>
        OwnTokenRights.Concat(ByPermission.Where(p => RolePermissions.Allows(role, p.Permission)).SelectMany(p => p.Rights)).ToList();

    public static IReadOnlyList<string> MenusOf(string role)
    {
        var menus = new List<string> { "tokens" };
        if (RolePermissions.Allows(role, Permission.ViewUsers))
        {
            menus.Add("users");
        }
        if (RolePermissions.Allows(role, Permission.ViewPolicies) || RolePermissions.Allows(role, Permission.ViewCaConnectors))
        {
            menus.Add("config");
        }
        if (RolePermissions.Allows(role, Permission.ViewAudit))
        {
            menus.Add("audit");
        }
        return menus;
    }

    /// <summary><c>GET /auth/rights</c>: the token types this role may enrol, with privacyIDEA's descriptions.</summary>
    public static IReadOnlyDictionary<string, string> EnrollableTypes() =>
        new Dictionary<string, string> { ["certificate"] = "Certificate: Enroll an x509 Certificate Token." };
}
