using System.Globalization;
using System.Text;
using System.Text.Json;
using CertTokenPortal.Core.Common;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace CertTokenPortal.Api;

/// <summary>
/// The parameters of an API call, read the way privacyIDEA reads them: from the query string and from a body that
/// is form-urlencoded, multipart (file fields read like text fields) or a JSON object. Names are case-sensitive.
/// </summary>
public sealed class ApiParameters
{
    /// <summary>The largest request body the API reads.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private readonly Dictionary<string, string> _values;

    private ApiParameters(Dictionary<string, string> values) => _values = values;

    public string? this[string name] => _values.TryGetValue(name, out var value) ? value : null;

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The names of every parameter the caller sent, so that an endpoint can refuse the ones it does not know.</summary>
    public IEnumerable<string> Names => _values.Keys;

    /// <summary>
    /// A strict boolean: absent is null; 1/true/yes/on and 0/false/no/off (any case) are read; anything else, or an
    /// empty value, is a 400 naming the parameter, so that a typo never turns a filter off.
    /// </summary>
    public Result<bool?> StrictBool(string name)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return (bool?)null;
        }
        return text.Trim().ToLowerInvariant() switch
        {
            "1" or "true" or "yes" or "on" => true,
            "0" or "false" or "no" or "off" => false,
            _ => PortalError.Validation($"{name} '{text}' must be True or False."),
        };
    }

    /// <summary>A privacyIDEA-style boolean: 1/true/yes/on.</summary>
    public bool? Bool(string name) => this[name]?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "1" or "true" or "yes" or "on" => true,
        _ => false,
    };

    /// <summary>A whole number, or <paramref name="fallback"/> when the parameter is absent; false when it is not a number.</summary>
    public bool TryInt(string name, int fallback, out int value)
    {
        var text = this[name];
        if (string.IsNullOrWhiteSpace(text))
        {
            value = fallback;
            return true;
        }
        return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }

    /// <summary><c>sortdir</c>: <c>asc</c> or <c>desc</c>; <paramref name="byDefault"/> when absent.</summary>
    public Result<bool> SortDescending(bool byDefault) => this["sortdir"]?.Trim().ToLowerInvariant() switch
    {
        null or "" => byDefault,
        "asc" => false,
        "desc" => true,
        _ => PortalError.Validation($"sortdir '{this["sortdir"]}' must be asc or desc."),
    };

    public static async Task<Result<ApiParameters>> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        // The raw query, not Request.Query: ASP.NET Core decodes invalid UTF-8 to U+FFFD silently, and the portal
        // answers a malformed request with a 400 instead of acting on a guess.
        var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        if (StrictFormDecoder.Decode(query, values, "query string") is { } queryError)
        {
            return queryError;
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }
        var body = await ReadBodyAsync(request, MaxBodyBytes, ct);
        if (body is null)
        {
            return TooLarge();
        }
        if (body.Length == 0)
        {
            return new ApiParameters(values);
        }

        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value?.ToLowerInvariant() : null;
        var read = mediaType switch
        {
            "application/json" => ReadJson(body, values),
            "application/x-www-form-urlencoded" => ReadForm(body, values),
            "multipart/form-data" => await ReadMultipartAsync(body, parsed!, values, ct),
            _ => PortalError.Validation("Send the parameters as a form (application/x-www-form-urlencoded or multipart/form-data) or as a JSON object."),
        };
        if (!read.IsSuccess)
        {
            return read.Error;
        }
        return CheckValues(values) ?? (Result<ApiParameters>)new ApiParameters(values);
    }

    /// <summary>Every parameter, whatever it came in: a bounded count, and names and values of well-formed text.</summary>
    private static PortalError? CheckValues(Dictionary<string, string> values)
    {
        if (values.Count > InputLimits.MaxParameters)
        {
            return PortalError.Validation($"The request carries {values.Count} parameters; at most {InputLimits.MaxParameters} are read.");
        }
        foreach (var (name, value) in values)
        {
            if (name.Length > InputLimits.MaxParameterNameLength || !InputLimits.IsCleanLine(name))
            {
                return PortalError.Validation("A parameter name is too long or holds control characters.");
            }
            if (value.Length > InputLimits.MaxParameterLength && !InputLimits.DocumentParameters.Contains(name))
            {
                return PortalError.Validation($"The parameter '{name}' may have at most {InputLimits.MaxParameterLength} characters.");
            }
            if (!InputLimits.IsCleanText(value))
            {
                return PortalError.Validation($"The parameter '{name}' holds a control character (such as NUL) or an unpaired surrogate; send well-formed text.");
            }
        }
        return null;
    }

    internal static PortalError TooLarge() =>
        PortalError.TooLarge($"The request is larger than {MaxBodyBytes / 1024 / 1024} MiB.");

    /// <summary>Reads the body into memory, or returns null once it exceeds <paramref name="maxBytes"/> (a client may lie about or omit the length).</summary>
    internal static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static Result ReadJson(byte[] body, Dictionary<string, string> values)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return PortalError.Validation("The JSON body must be an object of parameters, like {\"serial\": \"CRT0001A2B3\"}.");
            }
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.Null or JsonValueKind.Undefined:
                        break;
                    case JsonValueKind.String:
                        values[property.Name] = property.Value.GetString()!;
                        break;
                    case JsonValueKind.True or JsonValueKind.False:
                        values[property.Name] = property.Value.ValueKind == JsonValueKind.True ? "true" : "false";
                        break;
                    default:
                        values[property.Name] = property.Value.GetRawText();
                        break;
                }
            }
            return Result.Success();
        }
        catch (JsonException e)
        {
            return PortalError.Validation($"The JSON body cannot be read: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // GetString() of an escaped lone surrogate ("\ud800") cannot be turned into text.
            return PortalError.Validation("The JSON body holds a string that is not well-formed text (invalid UTF-8 or an unpaired surrogate).");
        }
    }

    private static Result ReadForm(byte[] body, Dictionary<string, string> values)
    {
        if (!StrictFormDecoder.TryUtf8(body, out var text))
        {
            return PortalError.Validation("The form body is not valid UTF-8.");
        }
        return StrictFormDecoder.Decode(text, values, "form body") is { } error ? error : Result.Success();
    }

    private static async Task<Result> ReadMultipartAsync(byte[] body, MediaTypeHeaderValue contentType, Dictionary<string, string> values, CancellationToken ct)
    {
        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return PortalError.Validation("The multipart body has no boundary.");
        }
        try
        {
            var reader = new MultipartReader(boundary, new MemoryStream(body));
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.Name.HasValue)
                {
                    continue;
                }
                using var text = new StreamReader(section.Body, StrictFormDecoder.Utf8);
                values[HeaderUtilities.RemoveQuotes(disposition.Name).Value!] = await text.ReadToEndAsync(ct);
            }
            return Result.Success();
        }
        catch (DecoderFallbackException)
        {
            return PortalError.Validation("A field of the multipart body is not valid UTF-8.");
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return PortalError.Validation($"The multipart body cannot be read: {e.Message}");
        }
    }
}
