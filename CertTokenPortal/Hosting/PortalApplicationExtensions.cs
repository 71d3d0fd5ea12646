using CertTokenPortal.Api;
using CertTokenPortal.Authentication;
using CertTokenPortal.Components;
using CertTokenPortal.Core.Startup;
using CertTokenPortal.Health;

namespace CertTokenPortal.Hosting;

/// <summary>Start-up work and the request pipeline of the portal.</summary>
internal static class PortalApplicationExtensions
{
    /// <summary>Migrates the database and seeds roles, the first admin and the default CA before any request is served.</summary>
    public static Task PreparePortalAsync(this WebApplication app) => StartupTaskRunner.RunAsync(app.Services);

    public static WebApplication UsePortal(this WebApplication app)
    {
        app.UsePortalTransportSecurity();
        app.UsePortalSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseApiRouteErrors();

        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapPortalHealth();
        app.MapLoginEndpoints();
        app.MapPortalApi();
        app.MapCaPublicationApi();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
