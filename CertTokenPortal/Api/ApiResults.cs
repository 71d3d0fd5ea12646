using System.Text.Json;
using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Api;

/// <summary>Builds API answers. The one place where an expected failure (<see cref="ErrorKind"/>) becomes an HTTP status.</summary>
public static class ApiResults
{
    // Member names are written exactly as declared: the API's names (rollout_state, CA, user_realm) are not camelCase.
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = null,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static int StatusCodeOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthenticated => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorKind.Busy => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// privacyIDEA's error number for <c>result.error.code</c> (its lib/error.py), beside the status mapping above so
    /// that the two are read together: clients branch on these numbers.
    /// </summary>
    public static int PrivacyIdeaCodeOf(PortalError error) => error.Reason switch
    {
        ErrorReason.MissingCredentials => 4032,
        ErrorReason.TokenLocked => 1007,
        ErrorReason.CaFailure => 503,
        ErrorReason.Policy => 303,
        _ => error.Kind switch
        {
            ErrorKind.Validation or ErrorKind.TooLarge => 905,
            ErrorKind.Unauthenticated => 4031,
            ErrorKind.Forbidden => 303,
            ErrorKind.NotFound => 601,
            ErrorKind.Conflict => 301,
            // A dependency (the user directory) is down: privacyIDEA's number for a failed back end, like its CA errors.
            ErrorKind.Unavailable => 503,
            // privacyIDEA has no number for these; the HTTP status is the clearest code a client can get.
            ErrorKind.Busy => StatusCodes.Status503ServiceUnavailable,
            ErrorKind.RateLimited => StatusCodes.Status429TooManyRequests,
            _ => 903,
        },
    };

    public static IResult Ok(object? value, object? detail = null) =>
        new EnvelopeResult(StatusCodes.Status200OK, new ApiResultBody(true, value, null), detail);

    /// <summary>
    /// The mapped failure. A busy answer (503) carries <c>Retry-After</c> as a header and as <c>detail.retry_after</c>,
    /// so clients that read only the envelope see it too.
    /// </summary>
    public static IResult Fail(PortalError error) =>
        new EnvelopeResult(StatusCodeOf(error.Kind), new ApiResultBody(false, null, new ApiError(PrivacyIdeaCodeOf(error), error.Message)),
            error.RetryAfterSeconds is { } retry ? new Dictionary<string, object?> { ["retry_after"] = retry } : null, error.RetryAfterSeconds);

    /// <summary>A 429 in the envelope with the <c>Retry-After</c> header (whole seconds, at least 1).</summary>
    public static IResult RateLimited(string message, TimeSpan retryAfter) =>
        new EnvelopeResult(StatusCodes.Status429TooManyRequests, new ApiResultBody(false, null, new ApiError(StatusCodes.Status429TooManyRequests, message)), null,
            Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)));

    /// <summary>Writes a 429 answer directly (for the rate limiter's rejection callback, which has no endpoint result).</summary>
    public static Task WriteRateLimitedAsync(HttpContext http, string message, TimeSpan retryAfter) =>
        RateLimited(message, retryAfter).ExecuteAsync(http);

    /// <summary>Success with <paramref name="value"/>, or the mapped failure.</summary>
    public static IResult From(Result result, object? value) => result.IsSuccess ? Ok(value) : Fail(result.Error);

    /// <summary>Success with the value, or the mapped failure.</summary>
    public static IResult From<T>(Result<T> result, Func<T, object?> value, Func<T, object?>? detail = null) =>
        result.TryGetValue(out var ok, out var error) ? Ok(value(ok), detail?.Invoke(ok)) : Fail(error);

    /// <summary>A 500 in the envelope: a reference for the log, nothing of the exception.</summary>
    public static Task WriteInternalErrorAsync(HttpContext http, string reference) =>
        WriteAsync(http, StatusCodes.Status500InternalServerError, new ApiResultBody(false, null,
            new ApiError(903, $"The portal failed to complete this request. The administrator can find it in the log under reference {reference}.")), null);

    /// <summary>An API path no endpoint serves (404, privacyIDEA 601) or a method it does not take (405, 905).</summary>
    public static Task WriteRouteErrorAsync(HttpContext http, int status, string message) =>
        WriteAsync(http, status, new ApiResultBody(false, null, new ApiError(status == StatusCodes.Status404NotFound ? 601 : 905, message)), null);

    /// <summary>A successful login in privacyIDEA's shape: the value and <c>result.authentication = "ACCEPT"</c>.</summary>
    public static IResult Accept(object value) =>
        new EnvelopeResult(StatusCodes.Status200OK, new ApiResultBody(true, value, null, "ACCEPT"), null);

    private static Task WriteAsync(HttpContext http, int status, ApiResultBody body, object? detail, int? retryAfterSeconds = null)
    {
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        http.Response.StatusCode = status;
        if (retryAfterSeconds is { } retry)
        {
            http.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(JsonSerializer.Serialize(ApiEnvelope.Create(body, detail, clock), Json));
    }

    private sealed class EnvelopeResult(int status, ApiResultBody body, object? detail, int? retryAfterSeconds = null) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, status, body, detail, retryAfterSeconds);
    }
}
