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
        _ => StatusCodes.Status500InternalServerError,
    };

    public static IResult Ok(object? value, object? detail = null) =>
        new EnvelopeResult(StatusCodes.Status200OK, new ApiResultBody(true, value, null), detail);

    public static IResult Fail(PortalError error) =>
        new EnvelopeResult(StatusCodeOf(error.Kind), new ApiResultBody(false, null, new ApiError(StatusCodeOf(error.Kind), error.Message)), null);

    /// <summary>Success with <paramref name="value"/>, or the mapped failure.</summary>
    public static IResult From(Result result, object? value) => result.IsSuccess ? Ok(value) : Fail(result.Error);

    /// <summary>Success with the value, or the mapped failure.</summary>
    public static IResult From<T>(Result<T> result, Func<T, object?> value, Func<T, object?>? detail = null) =>
        result.TryGetValue(out var ok, out var error) ? Ok(value(ok), detail?.Invoke(ok)) : Fail(error);

    /// <summary>A 500 in the envelope: a reference for the log, nothing of the exception.</summary>
    public static Task WriteInternalErrorAsync(HttpContext http, string reference) =>
        WriteAsync(http, StatusCodes.Status500InternalServerError, new ApiResultBody(false, null,
            new ApiError(StatusCodes.Status500InternalServerError, $"The portal failed to complete this request. The administrator can find it in the log under reference {reference}.")), null);

    private static Task WriteAsync(HttpContext http, int status, ApiResultBody body, object? detail)
    {
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(JsonSerializer.Serialize(ApiEnvelope.Create(body, detail, clock), Json));
    }

    private sealed class EnvelopeResult(int status, ApiResultBody body, object? detail) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, status, body, detail);
    }
}
