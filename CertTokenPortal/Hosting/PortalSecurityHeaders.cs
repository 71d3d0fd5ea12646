using System.Security.Cryptography;

namespace CertTokenPortal.Hosting;

/// <summary>
/// The security headers of every answer. The Content-Security-Policy allows scripts only from the portal itself plus
/// the one inline import map Blazor renders, marked with a per-request nonce; MudBlazor sets inline styles, so styles
/// may be inline. Blazor Server's WebSocket is same-origin (<c>connect-src 'self'</c>).
/// </summary>
public static class PortalSecurityHeaders
{
    private const string NonceKey = "CertTokenPortal.CspNonce";

    /// <summary>The nonce of this request's CSP, for the inline import map of <c>App.razor</c>.</summary>
    public static string CspNonce(this HttpContext http) => http.Items[NonceKey] as string ?? "";

    public static IApplicationBuilder UsePortalSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        // Base64url: plain base64's '+' reaches the page HTML-encoded (&#x2B;), so the nonce in the markup would not
        // read the same as the header's to anything comparing the raw text; '-' and '_' are valid CSP nonce characters.
        var nonce = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        http.Items[NonceKey] = nonce;
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy =
                "default-src 'self'; " +
                $"script-src 'self' 'nonce-{nonce}'; " +
                "style-src 'self' 'unsafe-inline'; " +
                "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
                "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return Task.CompletedTask;
        });
        return next(http);
    });
}
