using CertTokenPortal.Api;
using CertTokenPortal.Authentication;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using CertTokenPortal.Health;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;

namespace CertTokenPortal.Hosting;

/// <summary>Registers the web layer: Blazor, MudBlazor, the cookie login and the role-based authorization policies.</summary>
internal static class PortalWebServiceCollectionExtensions
{
    public static IServiceCollection AddPortalWeb(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddHttpContextAccessor();

        services.AddPortalAuthentication();
        services.AddPortalAuthorization();
        services.AddPortalApi();
        services.AddPortalRateLimits();
        services.AddPortalHealth();
        return services;
    }

    private static void AddPortalAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/login";
            // Not "/login": a logged-in user sent there is sent straight back to the page they may not see, in a loop.
            o.AccessDeniedPath = "/access-denied";
            o.Cookie.Name = "CertTokenPortal.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            // Pages get a redirect to the login page; everything else (API, downloads) gets a plain status code.
            o.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
            // Every request re-checks the account (cached for a few seconds), instead of Identity's 30-minute stamp check.
            o.Events.OnValidatePrincipal = ValidateCookieAsync;
            // Secure whenever the request came over HTTPS (directly or through a configured proxy).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        new IdentityBuilder(typeof(PortalUser), typeof(IdentityRole), services)
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<PortalClaimsPrincipalFactory>();

        services.AddScoped<PasswordLogin>();
        services.AddScoped<PortalSession>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingPortalAuthenticationStateProvider>();
    }

    private static void AddPortalAuthorization(this IServiceCollection services) =>
        services.AddAuthorization(o => o.AddPortalPolicies());

    /// <summary>
    /// One named policy per permission, built from the single role table in Core. Separate so that component tests
    /// authorize with the very same policies instead of a copy of the table.
    /// </summary>
    public static AuthorizationOptions AddPortalPolicies(this AuthorizationOptions options)
    {
        foreach (var permission in Enum.GetValues<Permission>())
        {
            options.AddPolicy(RolePermissions.PolicyName(permission), p => p.RequireAuthenticatedUser().RequireRole(RolePermissions.RolesFor(permission)));
        }
        return options;
    }

    private static async Task ValidateCookieAsync(Microsoft.AspNetCore.Authentication.Cookies.CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } principal)
        {
            return;
        }
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionValidator>();
        if (!await sessions.IsValidAsync(SessionClaimsOf(principal, context.HttpContext.RequestServices), context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }

    /// <summary>What a cookie login (or a circuit's copy of it) says about its account.</summary>
    internal static SessionClaims SessionClaimsOf(System.Security.Claims.ClaimsPrincipal principal, IServiceProvider services)
    {
        var identity = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        return new SessionClaims(
            principal.FindFirst(identity.UserNameClaimType)?.Value ?? "",
            principal.FindFirst(identity.RoleClaimType)?.Value,
            principal.FindFirst(identity.SecurityStampClaimType)?.Value);
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        var wantsPage = HttpMethods.IsGet(context.Request.Method) && PageOrApiMatcherPolicy.WantsHtml(context.Request);
        if (wantsPage)
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = status;
        }
        return Task.CompletedTask;
    }
}
