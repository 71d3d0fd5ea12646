using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Routing.Template;

namespace CertTokenPortal.Api;

/// <summary>
/// Answers a request that no endpoint serves (404) or whose method the path does not take (405) with the API's JSON
/// envelope, unless it asks for HTML. Without this, the status page re-execution would send an API client to the
/// not-found page, whose login requirement answered an empty 401 that a privacyIDEA client reads as an expired login.
/// </summary>
internal static class ApiRouteErrors
{
    /// <summary>Register after the status-code pages, so that this sees the bare status first and browsers still get the page.</summary>
    public static IApplicationBuilder UseApiRouteErrors(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        await next(http);
        var status = http.Response.StatusCode;
        if (status is not (StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed)
            || http.Response.HasStarted
            || http.Response.ContentLength > 0
            || !string.IsNullOrEmpty(http.Response.ContentType)
            || PageOrApiMatcherPolicy.WantsHtml(http.Request)
            || http.Features.Get<IStatusCodeReExecuteFeature>() is not null)
        {
            return;
        }
        var path = http.Request.Path.Value ?? "/";
        // The pages' catch-all takes GET on every path, so routing answers 405 to a POST on a path no API endpoint
        // has; only the API's own endpoints decide between "no such endpoint" and "not this method".
        var allowed = status == StatusCodes.Status405MethodNotAllowed ? ApiMethodsFor(http, path) : [];
        if (allowed.Count == 0)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            await ApiResults.WriteRouteErrorAsync(http, StatusCodes.Status404NotFound,
                $"There is no API endpoint {path}. The OpenAPI document /openapi/v1.json lists every endpoint.");
            return;
        }
        http.Response.Headers.Allow = string.Join(", ", allowed);
        await ApiResults.WriteRouteErrorAsync(http, StatusCodes.Status405MethodNotAllowed,
            $"{http.Request.Method} is not allowed on {path}; allowed: {string.Join(", ", allowed)}.");
    });

    private static List<string> ApiMethodsFor(HttpContext http, string path)
    {
        var endpoints = http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints;
        return endpoints.OfType<RouteEndpoint>()
            // Fallbacks (order int.MaxValue, e.g. static files' {**path:file}) match every path and are no API endpoint.
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is null && e.Order != int.MaxValue && e.RoutePattern.RawText is not null)
            .Where(e => new TemplateMatcher(TemplateParser.Parse(e.RoutePattern.RawText!.TrimStart('/')), new RouteValueDictionary())
                .TryMatch(path, new RouteValueDictionary()))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }
}
