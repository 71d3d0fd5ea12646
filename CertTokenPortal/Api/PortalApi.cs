using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Api;

/// <summary>Registers and maps the HTTP API: its authentication, its endpoint groups, and its OpenAPI document.</summary>
public static partial class PortalApi
{
    public static IServiceCollection AddPortalApi(this IServiceCollection services)
    {
        services.AddApiAuthentication();
        services.AddSingleton<Microsoft.AspNetCore.Routing.MatcherPolicy, PageOrApiMatcherPolicy>();
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CertTokenPortal API";
            document.Info.Description = "Certificate tokens in privacyIDEA's dialect: /auth, /token/init, /token/, /token/revoke. " +
                                        "Parameters are form fields, multipart fields or a JSON object; answers are privacyIDEA envelopes.";
            return Task.CompletedTask;
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapPortalApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi().AllowAnonymous();

        var open = endpoints.MapGroup("").AddEndpointFilter(GuardAsync);
        open.MapAuthApi();

        var secured = endpoints.MapGroup("")
            .AddEndpointFilter(GuardAsync)
            .AddEndpointFilter(ApiAuthentication.RequireApiLogin)
            .AllowAnonymous(); // authentication is the filter's job, so that failures answer in the envelope
        secured.MapAuthRightsApi();
        secured.MapTokenApi();
        secured.MapRenewalApi();
        secured.MapUserApi();
        secured.MapResolverApi();
        secured.MapRealmApi();
        secured.MapCaApi();
        secured.MapPolicyApi();
        secured.MapAttestationApi();
        secured.MapApprovalApi();
        secured.MapAuditApi();
        return endpoints;
    }

    /// <summary>The last line of defence: an unexpected exception answers 500 in the envelope, without a stack trace.</summary>
    private static async ValueTask<object?> GuardAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (CheckAddress(context.HttpContext.Request) is { } malformed)
        {
            return ApiResults.Fail(malformed);
        }
        try
        {
            return await next(context);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiResults.Fail(ApiParameters.TooLarge());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CertTokenPortal.Api");
            LogUnexpected(logger, e, context.HttpContext.TraceIdentifier);
            return new InternalErrorResult(context.HttpContext.TraceIdentifier);
        }
    }

    /// <summary>
    /// The query string and the path's values of every API call, checked before any handler binds them: not valid
    /// UTF-8, or holding control characters, is a 400 (the framework would otherwise bind U+FFFD or a NUL).
    /// </summary>
    private static PortalError? CheckAddress(HttpRequest request)
    {
        var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (StrictFormDecoder.Decode(query, values, "query string") is { } error)
        {
            return error;
        }
        foreach (var (name, value) in values)
        {
            if (!InputLimits.IsCleanLine(name) || !InputLimits.IsCleanText(value))
            {
                return PortalError.Validation($"The query parameter '{name}' holds a control character; send well-formed text.");
            }
        }
        foreach (var (name, value) in request.RouteValues)
        {
            if (value is string text && !InputLimits.IsCleanLine(text))
            {
                return PortalError.Validation($"The {name} in the address holds a control character; send well-formed text.");
            }
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "API request {TraceId} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string traceId);

    private sealed class InternalErrorResult(string traceId) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => ApiResults.WriteInternalErrorAsync(httpContext, traceId);
    }
}
