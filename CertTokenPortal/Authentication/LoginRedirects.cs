namespace CertTokenPortal.Authentication;

/// <summary>The small rules the login page and the login endpoint share: where to go afterwards and what to say on failure.</summary>
public static class LoginRedirects
{
    public const string InvalidCredentials = "invalid";
    public const string LockedOut = "locked";
    public const string MissingInput = "missing";
    public const string DirectoryUnavailable = "directory";
    public const string Throttled = "throttled";
    public const string PasswordChanged = "password-changed";

    /// <summary>
    /// Only local paths are followed after login, so a crafted link cannot send the user to another site. Browsers
    /// drop tabs and line breaks from a Location and read a backslash as a slash, so <c>/\t/evil.example</c> and
    /// <c>/\\evil.example</c> would become <c>//evil.example</c>: anything but a plain path on this host is refused,
    /// also once percent-decoded.
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl) => IsLocalPath(returnUrl) ? returnUrl! : "/";

    public static bool IsLocalPath(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2048)
        {
            return false;
        }
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(url);
        }
        catch (UriFormatException)
        {
            return false;
        }
        return IsLocal(url) && !url.Any(char.IsWhiteSpace) && Uri.IsWellFormedUriString(url, UriKind.Relative) && IsLocal(decoded);
    }

    private static bool IsLocal(string url) =>
        url.StartsWith('/') && !url.StartsWith("//") && !url.Contains('\\') && !url.Any(c => char.IsControl(c) || char.IsSurrogate(c));

    public static string? ErrorText(string? code) => code switch
    {
        InvalidCredentials => "Invalid user name or password.",
        LockedOut => "This account is locked. Ask an administrator to unlock it.",
        Throttled => "Too many failed attempts for this account from your address. Wait a little and try again.",
        PasswordChanged => "Your password was changed. Log in with the new password.",
        MissingInput => "Enter your user name and password.",
        DirectoryUnavailable => "Your company directory cannot be reached right now, so your password cannot be checked. Try again in a few minutes.",
        null or "" => null,
        _ => "The login did not succeed. Please try again.",
    };

    public static string LoginPage(string? returnUrl, string error) =>
        $"/login?error={Uri.EscapeDataString(error)}&returnUrl={Uri.EscapeDataString(SafeReturnUrl(returnUrl))}";
}
