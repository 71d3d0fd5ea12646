using System.Net;
using System.Text.RegularExpressions;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>
/// Posts the portal's HTML forms as a browser would: the antiforgery token is read from a page first, and the
/// client's cookie jar carries the matching antiforgery cookie.
/// </summary>
public static partial class LoginForm
{
    /// <summary>Reads the antiforgery token from the first form on <paramref name="path"/>.</summary>
    public static async Task<string> GetAntiforgeryTokenAsync(this HttpClient client, string path = "/login")
    {
        using var response = await client.GetPageAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var match = TokenPattern().Match(await response.Content.ReadAsStringAsync());
        Assert.True(match.Success, $"{path} has no antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Fetches a token from the login page and posts the login form; the response is the endpoint's redirect.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(this HttpClient client, string? userName, string? password, string? returnUrl = null)
    {
        var token = await client.GetAntiforgeryTokenAsync("/login");
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["username"] = userName ?? "",
            ["password"] = password ?? "",
            ["returnUrl"] = returnUrl ?? "/",
        };
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(fields));
    }

    /// <summary>Posts the logout form of the app bar, with the token of the logged-in page <paramref name="fromPath"/>.</summary>
    public static async Task<HttpResponseMessage> PostLogoutAsync(this HttpClient client, string fromPath = "/")
    {
        var token = await client.GetAntiforgeryTokenAsync(fromPath);
        return await client.PostAsync("/account/logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
    }

    /// <summary>A GET as a browser navigates (asking for HTML), so that the login redirect applies.</summary>
    public static async Task<HttpResponseMessage> GetPageAsync(this HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html");
        return await client.SendAsync(request);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
