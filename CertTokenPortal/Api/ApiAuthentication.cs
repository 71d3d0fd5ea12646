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
    /// <summary>The account's security stamp when the token was issued; a new stamp (password, lock, role) ends the token.</summary>
    private const string StampClaim = "stamp";

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
                    var header = TokenHeader(context.Request);
                    context.Token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : header;
                    if (string.IsNullOrEmpty(context.Token))
                    {
                        context.NoResult();
                    }
                    return Task.CompletedTask;
                },
                // A valid signature is not enough: the account must still exist, be unlocked and have the same role
                // and security stamp, so that lock, role change, password reset and deletion (or, for a directory user, removal from the
                // directory) end the token within seconds.
                OnTokenValidated = async context =>
                {
                    var principal = context.Principal!;
                    var claims = new SessionClaims(principal.FindFirstValue(NameClaim) ?? "", principal.FindFirstValue(RoleClaim), principal.FindFirstValue(StampClaim));
                    var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionValidator>();
                    if (!await sessions.IsValidAsync(claims, context.HttpContext.RequestAborted))
                    {
                        context.Fail("The account of this token was locked, deleted or changed.");
                    }
                },
            };
        });
        return services;
    }

    /// <summary>privacyIDEA's own header.</summary>
    public const string PrivacyIdeaHeader = "PI-Authorization";

    /// <summary>
    /// The header that carries the JWT: privacyIDEA clients send it bare in <c>PI-Authorization</c> (looked at first,
    /// as privacyIDEA does), others in <c>Authorization</c>, bare or as "Bearer &lt;token&gt;".
    /// </summary>
    internal static string TokenHeader(HttpRequest request)
    {
        var pi = request.Headers[PrivacyIdeaHeader].ToString().Trim();
        return pi.Length > 0 ? pi : request.Headers.Authorization.ToString().Trim();
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
        var hasHeader = TokenHeader(http.Request).Length > 0;
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
            return ApiResults.Fail(PortalError.Unauthenticated("Log in first: send the token from POST /auth in the PI-Authorization or Authorization header."));
        }

        if (!result.Succeeded || result.Principal?.Identity?.IsAuthenticated != true)
        {
            return ApiResults.Fail(PortalError.Unauthenticated(hasHeader
                ? "The authorization token is invalid or expired; log in again with POST /auth."
                : "Log in first: send the token from POST /auth in the PI-Authorization or Authorization header."));
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
                    new Claim(PortalClaims.AccountId, user.Id),
                    new Claim(StampClaim, user.SecurityStamp ?? ""),
                    new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
                ]),
                SigningCredentials = new SigningCredentials(SigningKey(secrets), SecurityAlgorithms.HmacSha256),
            };
            return new JsonWebTokenHandler().CreateToken(descriptor);
        }
    }
}
