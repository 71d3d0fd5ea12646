namespace CertTokenPortal.Core.Dashboard;

/// <summary>
/// The marks the first-run checklist keeps, as rows of Identity's per-user token table (AspNetUserTokens) under a
/// provider name of the portal's own: a per-user key and value in the database, so every portal instance sees them,
/// without a table of their own.
/// </summary>
internal static class FirstRunMarks
{
    public const string Provider = "[CertTokenPortal]";

    /// <summary>On the first admin: the security stamp it was seeded with. Identity renews the stamp when the password changes.</summary>
    public const string SeededSecurityStamp = "SeededSecurityStamp";

    /// <summary>On any staff account: the person closed the checklist for good.</summary>
    public const string ChecklistDismissed = "FirstRunChecklistDismissed";
}
