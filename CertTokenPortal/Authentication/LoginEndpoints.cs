using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace CertTokenPortal.Authentication;

/// <summary>The browser's cookie login and logout (form posts from the login page and the app bar).</summary>
public static class LoginEndpoints
{
    public static IEndpointRouteBuilder MapLoginEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/account").ExcludeFromDescription();
        account.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(Hosting.PortalRateLimits.LoginPolicy);
        account.MapPost("/logout", LogoutAsync);
        return endpoints;
    }

    private static async Task<RedirectHttpResult> LoginAsync(
        [FromForm] string? username, [FromForm] string? password, [FromForm] string? realm, [FromForm] string? returnUrl,
        PasswordLogin login, HttpContext http)
    {
        var outcome = await login.CheckAsync(username, password, realm, http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
        if (outcome.User is null)
        {
            return TypedResults.Redirect(LoginRedirects.LoginPage(returnUrl,
                outcome.RetryAfter is not null ? LoginRedirects.Throttled
                : outcome.LockedOut ? LoginRedirects.LockedOut
                : outcome.Unavailable is not null ? LoginRedirects.DirectoryUnavailable
                : string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password) ? LoginRedirects.MissingInput
                : LoginRedirects.InvalidCredentials));
        }

        await login.SignInCookieAsync(outcome.User);
        return TypedResults.Redirect(LoginRedirects.SafeReturnUrl(returnUrl));
    }

    private static async Task<RedirectHttpResult> LogoutAsync(HttpContext http, SignInManager<PortalUser> signIn, IAuditLog audit)
    {
        if (http.User.ToActor(http.Connection.RemoteIpAddress?.ToString()) is { } actor)
        {
            await audit.RecordAsync(actor, AuditEvent.Succeeded(AuditActions.Logout, "Logged out.") with { TargetUser = actor.UserName });
        }
        // Signs out of the application cookie (and Identity's external and two-factor cookies, were they in use).
        await signIn.SignOutAsync();
        return TypedResults.Redirect("/login");
    }
}
