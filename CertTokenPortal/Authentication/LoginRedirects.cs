namespace CertTokenPortal.Authentication;

/// <summary>The small rules the login page and the login endpoint share: where to go afterwards and what to say on failure.</summary>
public static class LoginRedirects
{
    public const string InvalidCredentials = "invalid";
    public const string LockedOut = "locked";
    public const string MissingInput = "missing";
    public const string DirectoryUnavailable = "directory";

    /// <summary>Only local paths are followed after login, so a crafted link cannot send the user to another site.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/";

    public static string? ErrorText(string? code) => code switch
    {
        InvalidCredentials => "Invalid user name or password.",
        LockedOut => "Too many failed attempts: this account is locked for a while. Try again later or ask an administrator.",
        MissingInput => "Enter your user name and password.",
        DirectoryUnavailable => "Your company directory cannot be reached right now, so your password cannot be checked. Try again in a few minutes.",
        null or "" => null,
        _ => "The login did not succeed. Please try again.",
    };

    public static string LoginPage(string? returnUrl, string error) =>
        $"/login?error={Uri.EscapeDataString(error)}&returnUrl={Uri.EscapeDataString(SafeReturnUrl(returnUrl))}";
}
