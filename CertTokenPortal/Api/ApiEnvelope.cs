using System.Reflection;
using System.Text.Json.Serialization;

namespace CertTokenPortal.Api;

/// <summary>The JSON envelope of every API answer, in privacyIDEA's shape.</summary>
public sealed record ApiEnvelope(
    [property: JsonPropertyName("jsonrpc")] string JsonRpc,
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("time")] double Time,
    [property: JsonPropertyName("result")] ApiResultBody Result,
    [property: JsonPropertyName("detail")] object? Detail)
{
    /// <summary>"CertTokenPortal 0.1.0", from the assembly's informational version.</summary>
    public static string ProductVersion { get; } =
        "CertTokenPortal " + (typeof(ApiEnvelope).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    public static ApiEnvelope Create(ApiResultBody result, object? detail, TimeProvider clock) =>
        new("2.0", 1, ProductVersion, clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0, result, detail);
}

/// <summary>The <c>result</c> member: a status, and either a value or an error.</summary>
public sealed record ApiResultBody(
    [property: JsonPropertyName("status")] bool Status,
    [property: JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Value,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ApiError? Error,
    [property: JsonPropertyName("authentication"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Authentication = null);

/// <summary>A failure: privacyIDEA's error number and a message written for a person.</summary>
public sealed record ApiError(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string Message);
