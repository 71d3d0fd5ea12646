namespace CertTokenPortal.Core.Identity;

/// <summary>The three roles of the portal, by the names used in the database, in claims and in the API.</summary>
public static class PortalRoles
{
    public const string Admin = "admin";
    public const string Helpdesk = "helpdesk";
    public const string User = "user";

    public static IReadOnlyList<string> All { get; } = [Admin, Helpdesk, User];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role);
}
