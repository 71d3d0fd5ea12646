using System.Security.Claims;
using CertTokenPortal.Authentication;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Secrets;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CertTokenPortal.Api;

/// <summary>The <c>Portal:Jwt</c> section: how long an API login lasts.</summary>
public sealed class JwtSettings
{
    public const string Section = "Portal:Jwt";

    [System.ComponentModel.DataAnnotations.Range(1, 1440)]
    public int LifetimeMinutes { get; set; } = 60;
}

/// <summary>
/// API logins: JWTs signed (HMAC-SHA256) with a key generated on first start and kept encrypted with the other
/// application secrets, accepted raw in the Authorization header (privacyIDEA style) or as a Bearer token.
/// </summary>
public static class ApiAuthentication
{
    public const string Scheme = "ApiJwt";
    private const string Issuer = "CertTokenPortal";
    private const string Audience = "CertTokenPortal-API";
    private const string NameClaim = "username";
    private const string RoleClaim = "role";

    public static IServiceCollection AddApiAuthentication(this IServiceCollection services)
    {
        services.AddOptions<JwtSettings>().BindConfiguration(JwtSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiTokenIssuer>();
        services.AddAuthentication().AddJwtBearer(Scheme, _ => { });
        services.AddOptions<JwtBearerOptions>(Scheme).Configure<ApplicationSecretStore>((o, secrets) =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer,
                ValidAudience = Audience,
                NameClaimType = NameClaim,
                RoleClaimType = RoleClaim,
                ClockSkew = TimeSpan.FromSeconds(30),
                // Resolved per request: the key exists only once the database is migrated.
                IssuerSigningKeyResolver = (_, _, _, _) => [SigningKey(secrets)],
            };
            o.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    // privacyIDEA clients send the bare token; others send "Bearer <token>". Both are accepted.
                    var header = context.Request.Headers.Authorization.ToString().Trim();
                    context.Token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : header;
                    if (string.IsNullOrEmpty(context.Token))
                    {
                        context.NoResult();
                    }
                    return Task.CompletedTask;
                },
                OnTokenValidated = async context =>
                {
                    // A JWT is only as good as its account: a locked or deleted account, or a directory user the
                    // directory no longer has, loses its API access at once rather than when the token expires.
                    var name = context.Principal?.FindFirstValue(NameClaim);
                    var services = context.HttpContext.RequestServices;
                    var user = name is null ? null : await services.GetRequiredService<UserManager<PortalUser>>().FindByNameAsync(name);
                    if (user is null || await services.GetRequiredService<UserManager<PortalUser>>().IsLockedOutAsync(user) ||
                        !await services.GetRequiredService<Core.Users.DirectoryUsers.DirectorySessionCheck>().IsStillPresentAsync(user, context.HttpContext.RequestAborted))
                    {
                        context.Fail("The account of this token is locked, removed or no longer in its directory.");
                    }
                },
            };
        });
        return services;
    }

    internal static SymmetricSecurityKey SigningKey(ApplicationSecretStore secrets) =>
        new(secrets.GetOrCreate(ApplicationSecretStore.JwtSigningKey, 32)) { KeyId = "portal-1" };

    /// <summary>
    /// Authenticates an API call: by JWT when an Authorization header is present, otherwise by the browser's cookie
    /// for reads only (downloads from the UI). Failures answer 401 in the envelope.
    /// </summary>
    public static async ValueTask<object?> RequireApiLogin(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var hasHeader = !string.IsNullOrWhiteSpace(http.Request.Headers.Authorization);
        AuthenticateResult result;
        if (hasHeader)
        {
            result = await http.AuthenticateAsync(Scheme);
        }
        else if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        {
            result = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        }
        else
        {
            return ApiResults.Fail(PortalError.Unauthenticated("Log in first: send the token from POST /auth in the Authorization header."));
        }

        if (!result.Succeeded || result.Principal?.Identity?.IsAuthenticated != true)
        {
            return ApiResults.Fail(PortalError.Unauthenticated(hasHeader
                ? "The authorization token is invalid or expired; log in again with POST /auth."
                : "Log in first: send the token from POST /auth in the Authorization header."));
        }
        http.User = result.Principal;
        return await next(context);
    }

    /// <summary>The caller of an authenticated API call as a Core <see cref="Actor"/>.</summary>
    public static Actor Actor(this HttpContext http) =>
        http.User.ToActor(http.Connection.RemoteIpAddress?.ToString())
        ?? throw new InvalidOperationException("An API endpoint that needs a login ran without one.");

    /// <summary>Issues the JWT of a successful <c>/auth</c>.</summary>
    public sealed class ApiTokenIssuer(ApplicationSecretStore secrets, IOptions<JwtSettings> settings, TimeProvider clock)
    {
        public string Issue(PortalUser user, string role)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var descriptor = new SecurityTokenDescriptor
            {
                Issuer = Issuer,
                Audience = Audience,
                IssuedAt = now,
                NotBefore = now,
                Expires = now.AddMinutes(settings.Value.LifetimeMinutes),
                Subject = new ClaimsIdentity([
                    new Claim(NameClaim, user.UserName!),
                    new Claim(RoleClaim, role),
                    new Claim(PortalClaims.Realm, user.Realm),
                    new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
                ]),
                SigningCredentials = new SigningCredentials(SigningKey(secrets), SecurityAlgorithms.HmacSha256),
            };
            return new JsonWebTokenHandler().CreateToken(descriptor);
        }
    }
}
