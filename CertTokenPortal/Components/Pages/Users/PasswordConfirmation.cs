namespace CertTokenPortal.Components.Pages.Users;

/// <summary>
/// The typing check of a new password, done in the dialog before Core is asked. Core's password rules stay the
/// authority; this only catches the typo that a confirmation field exists for.
/// </summary>
internal static class PasswordConfirmation
{
    public static string? Problem(string? password, string? confirmation) =>
        string.IsNullOrEmpty(password) ? "Enter a password."
        : !string.Equals(password, confirmation, StringComparison.Ordinal) ? "The two passwords differ."
        : null;
}
