using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>An answer of the portal's API: the HTTP status and the parsed envelope.</summary>
public sealed class ApiAnswer(HttpStatusCode status, string body, HttpResponseMessage response)
{
    private readonly Lazy<JsonElement> _root = new(() => JsonDocument.Parse(body).RootElement.Clone());

    public HttpStatusCode Status { get; } = status;
    public string Body { get; } = body;
    public HttpResponseMessage Response { get; } = response;
    public JsonElement Root => _root.Value;
    public JsonElement Result => Root.GetProperty("result");
    public bool Ok => Result.GetProperty("status").GetBoolean();
    public JsonElement Value => Result.GetProperty("value");
    public JsonElement Detail => Root.GetProperty("detail");
    public string ErrorMessage => Result.GetProperty("error").GetProperty("message").GetString()!;
    public int ErrorCode => Result.GetProperty("error").GetProperty("code").GetInt32();

    public override string ToString() => $"{(int)Status} {Body}";
}

/// <summary>A logged-in API session against a <see cref="PortalFactory"/>, in the privacyIDEA style (raw JWT header).</summary>
public sealed class ApiClient(HttpClient http, string? token)
{
    public HttpClient Http { get; } = http;
    public string? Token { get; } = token;

    public static ApiClient Anonymous(PortalFactory portal) => new(portal.CreateNonRedirectingClient(), null);

    /// <summary>Logs in through <c>POST /auth</c>; fails the test if the login is refused.</summary>
    public static async Task<ApiClient> LoginAsync(PortalFactory portal, string userName, string password)
    {
        var anonymous = Anonymous(portal);
        var answer = await anonymous.PostFormAsync("/auth", ("username", userName), ("password", password));
        Assert.True(answer.Status == HttpStatusCode.OK, $"login of {userName} failed: {answer}");
        return new ApiClient(portal.CreateNonRedirectingClient(), answer.Value.GetProperty("token").GetString());
    }

    public Task<ApiAnswer> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<ApiAnswer> DeleteAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Delete, path));

    public Task<ApiAnswer> PostFormAsync(string path, params (string Name, string Value)[] fields) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        });

    public Task<ApiAnswer> PostJsonAsync(string path, object body) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        });

    public Task<ApiAnswer> PostMultipartAsync(string path, params (string Name, string Value, bool AsFile)[] fields)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value, asFile) in fields)
        {
            if (asFile)
            {
                var file = new ByteArrayContent(Encoding.UTF8.GetBytes(value));
                file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Add(file, name, $"{name}.pem");
            }
            else
            {
                content.Add(new StringContent(value), name);
            }
        }
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = content });
    }

    public async Task<ApiAnswer> SendAsync(HttpRequestMessage request)
    {
        var response = await SendWithTokenAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new ApiAnswer(response.StatusCode, body, response);
    }

    /// <summary>Raw bytes of a download (PKCS#12, certificate, CRL).</summary>
    public async Task<(HttpStatusCode Status, byte[] Content, string? ContentType, HttpResponseMessage Response)> DownloadAsync(string path)
    {
        var response = await SendWithTokenAsync(new HttpRequestMessage(HttpMethod.Get, path));
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Content.Headers.ContentType?.MediaType, response);
    }

    /// <summary>Sends <paramref name="request"/> with the session's JWT (raw, as privacyIDEA expects it) when logged in.</summary>
    private Task<HttpResponseMessage> SendWithTokenAsync(HttpRequestMessage request)
    {
        if (Token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Token);
        }
        return Http.SendAsync(request);
    }
}
