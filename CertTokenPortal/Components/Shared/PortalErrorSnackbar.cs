using CertTokenPortal.Core.Common;
using MudBlazor;

namespace CertTokenPortal.Components.Shared;

/// <summary>
/// The one place where the UI turns a Core outcome into a snackbar, so that every page reports errors alike. Only the
/// error's message (written for a person) is shown; exceptions never reach this path, they end in the error boundary.
/// </summary>
public static class PortalErrorSnackbar
{
    /// <summary>
    /// Mistakes the user can fix (bad input, a name already taken, something gone meanwhile) are warnings; being
    /// refused is an error, since only someone else (an admin) can change it.
    /// </summary>
    public static Severity SeverityOf(ErrorKind kind) => kind switch
    {
        // Busy and RateLimited: nothing is wrong with the request; the message says to try again shortly.
        ErrorKind.Validation or ErrorKind.Conflict or ErrorKind.NotFound or ErrorKind.TooLarge or ErrorKind.Busy or ErrorKind.RateLimited => Severity.Warning,
        // Unavailable: the user can do nothing about it until the directory is back, so it stands out.
        ErrorKind.Forbidden or ErrorKind.Unauthenticated or ErrorKind.Unavailable => Severity.Error,
        // A new kind must be placed on purpose; a test walks every kind, so this fails there, not in front of a user.
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "This error kind has no snackbar severity yet."),
    };

    public static void ShowError(this ISnackbar snackbar, PortalError error) =>
        snackbar.Add(error.Message, SeverityOf(error.Kind));

    public static void ShowSuccess(this ISnackbar snackbar, string message) =>
        snackbar.Add(message, Severity.Success);

    /// <summary>Shows a success message built from the value, or the error; returns whether it succeeded.</summary>
    public static bool ShowOutcome<T>(this ISnackbar snackbar, Result<T> result, Func<T, string> successMessage)
    {
        if (result.TryGetValue(out var value, out var error))
        {
            snackbar.ShowSuccess(successMessage(value));
            return true;
        }
        snackbar.ShowError(error);
        return false;
    }

    /// <summary>Shows <paramref name="successMessage"/> or the error; returns whether it succeeded.</summary>
    public static bool ShowOutcome(this ISnackbar snackbar, Result result, string successMessage)
    {
        if (result.IsSuccess)
        {
            snackbar.ShowSuccess(successMessage);
            return true;
        }
        snackbar.ShowError(result.Error);
        return false;
    }
}
