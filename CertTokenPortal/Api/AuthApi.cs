using CertTokenPortal.Authentication;
using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Api;

/// <summary><c>POST /auth</c>: a user name and password for a JWT, counted against the same lockout as the browser login.</summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder api)
    {
        api.MapPost("/auth", LoginAsync)
            .AllowAnonymous()
            .RequireRateLimiting(Hosting.PortalRateLimits.LoginPolicy)
            .WithTags("Authentication")
            .WithSummary("Log in: username (name or name@realm), password, optional realm; directory users log in with their directory password. Answers a JWT (send it in PI-Authorization or Authorization), role, username, realm, rights, menus, log_level; result.authentication = ACCEPT.");
        return api;
    }

    /// <summary><c>GET /auth/rights</c> (logged in): the token types the caller may enrol, privacyIDEA's answer to its UI.</summary>
    public static IEndpointRouteBuilder MapAuthRightsApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/auth/rights", () => ApiResults.Ok(ApiRights.EnrollableTypes()))
            .WithTags("Authentication")
            .WithSummary("The token types the caller may enrol: {\"certificate\": \"...\"}.");
        return api;
    }

    private static async Task<IResult> LoginAsync(HttpContext http, PasswordLogin login, ApiAuthentication.ApiTokenIssuer tokens)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        if (string.IsNullOrWhiteSpace(p["username"]) || string.IsNullOrEmpty(p["password"]))
        {
            // privacyIDEA answers a missing name or password like a wrong one: 401, with its own number (4032).
            return ApiResults.Fail(new PortalError(ErrorKind.Unauthenticated, "Give 'username' and 'password'.") { Reason = ErrorReason.MissingCredentials });
        }

        var outcome = await login.CheckAsync(p["username"], p["password"], p["realm"], http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
        if (outcome.RetryAfter is { } wait)
        {
            return ApiResults.RateLimited(LoginRedirects.ErrorText(LoginRedirects.Throttled)!, wait);
        }
        if (outcome.Unavailable is not null)
        {
            // Not the user's fault and not a wrong password: say so (503), so that scripts can retry.
            return ApiResults.Fail(outcome.Unavailable);
        }
        if (outcome.User is null)
        {
            // The same words whether the name or the password was wrong, so that accounts cannot be probed.
            return ApiResults.Fail(PortalError.Unauthenticated(outcome.LockedOut
                ? "This account is locked; ask an administrator."
                : "Invalid user name or password."));
        }

        return ApiResults.Accept(new Dictionary<string, object?>
        {
            ["token"] = tokens.Issue(outcome.User, outcome.Role!),
            ["role"] = outcome.Role,
            ["username"] = outcome.User.UserName,
            ["realm"] = outcome.User.Realm,
            ["log_level"] = ApiRights.LogLevel,
            ["rights"] = ApiRights.RightsOf(outcome.Role!),
            ["menus"] = ApiRights.MenusOf(outcome.Role!),
            ["auth"] = true,
        });
    }
}
