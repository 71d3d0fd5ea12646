using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace CertTokenPortal.Hosting;

/// <summary>
/// The <c>Portal:Proxy</c> section: the reverse proxies (addresses or networks) whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> the portal believes. Empty: forwarded headers are ignored, so no client can fake its address.
/// </summary>
public sealed class ProxySettings
{
    public const string Section = "Portal:Proxy";

    /// <summary>IP addresses of trusted proxies, e.g. <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

/// <summary>
/// Transport security: forwarded headers from configured proxies (so client addresses, rate limits and the
/// <c>Secure</c> cookie flag are right behind a TLS proxy), HSTS for HTTPS requests, and HTTPS redirection when the
/// portal itself listens on HTTPS.
/// </summary>
public static class PortalTransportSecurity
{
    public static IServiceCollection AddPortalTransportSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var proxy = configuration.GetSection(ProxySettings.Section).Get<ProxySettings>() ?? new ProxySettings();
        // Parsed now, so that a wrong entry stops the start with a message instead of failing the first request.
        var proxies = proxy.KnownProxies.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => IPAddress.TryParse(a.Trim(), out var ip) ? ip
            : throw new Core.Startup.PortalStartupException($"Portal:Proxy:KnownProxies holds '{a}', which is not an IP address.")).ToList();
        var networks = proxy.KnownNetworks.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => System.Net.IPNetwork.TryParse(n.Trim(), out var net) ? net
            : throw new Core.Startup.PortalStartupException($"Portal:Proxy:KnownNetworks holds '{n}', which is not a network like 10.0.0.0/24.")).ToList();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            proxies.ForEach(o.KnownProxies.Add);
            networks.ForEach(o.KnownIPNetworks.Add);
        });
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });
        return services;
    }

    public static WebApplication UsePortalTransportSecurity(this WebApplication app)
    {
        var proxy = app.Configuration.GetSection(ProxySettings.Section).Get<ProxySettings>() ?? new ProxySettings();
        if (proxy.KnownProxies.Length > 0 || proxy.KnownNetworks.Length > 0)
        {
            app.UseForwardedHeaders();
        }
        if (!app.Environment.IsDevelopment())
        {
            // Only HTTPS answers carry the header (the middleware skips HTTP and localhost).
            app.UseHsts();
        }
        if (ServesHttps(app.Configuration))
        {
            app.UseHttpsRedirection();
        }
        return app;
    }

    /// <summary>Whether Kestrel is told to listen on HTTPS (urls, ASPNETCORE_URLS, HTTPS_PORTS or a Kestrel endpoint).</summary>
    private static bool ServesHttps(IConfiguration configuration) =>
        (configuration["urls"] ?? "").Contains("https://", StringComparison.OrdinalIgnoreCase) ||
        !string.IsNullOrWhiteSpace(configuration["https_ports"]) || !string.IsNullOrWhiteSpace(configuration["https_port"]) ||
        configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Any(e => (e["Url"] ?? "").StartsWith("https://", StringComparison.OrdinalIgnoreCase));
}
