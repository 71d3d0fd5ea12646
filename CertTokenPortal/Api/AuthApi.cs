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
            .WithTags("Authentication")
            .WithSummary("Log in: username (or username@realm), password, optional realm; directory users log in with their directory password. Answers a JWT to send in the Authorization header.");
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
            return ApiResults.Fail(PortalError.Validation("Give 'username' and 'password'."));
        }

        var outcome = await login.CheckAsync(p["username"], p["password"], p["realm"], http.Connection.RemoteIpAddress?.ToString(), http.RequestAborted);
        if (outcome.Unavailable is not null)
        {
            // Not the user's fault and not a wrong password: say so (503), so that scripts can retry.
            return ApiResults.Fail(outcome.Unavailable);
        }
        if (outcome.User is null)
        {
            // The same words whether the name or the password was wrong, so that accounts cannot be probed.
            return ApiResults.Fail(PortalError.Unauthenticated(outcome.LockedOut
                ? "Too many failed attempts: this account is locked for a while."
                : "Invalid user name or password."));
        }

        return ApiResults.Ok(new Dictionary<string, object?>
        {
            ["token"] = tokens.Issue(outcome.User, outcome.Role!),
            ["role"] = outcome.Role,
            ["username"] = outcome.User.UserName,
            ["realm"] = outcome.User.Realm,
        });
    }
}
