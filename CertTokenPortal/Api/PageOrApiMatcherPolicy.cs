using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing.Matching;

namespace CertTokenPortal.Api;

/// <summary>
/// Some addresses are both a page and an API endpoint: <c>/audit</c> is the audit page, and <c>GET /audit/</c>
/// privacyIDEA's audit API (routing ignores the trailing slash). A request that asks for HTML (a browser navigating)
/// gets the page; any other (scripts, API clients) gets the API. The same rule decides between a login redirect
/// and a plain 401 for the cookie login.
/// </summary>
internal sealed class PageOrApiMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(IsPage) && endpoints.Any(e => !IsPage(e));

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var wantsPage = WantsHtml(httpContext.Request);
        var hasWanted = false;
        var hasOther = false;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i))
            {
                hasWanted |= IsPage(candidates[i].Endpoint) == wantsPage;
                hasOther |= IsPage(candidates[i].Endpoint) != wantsPage;
            }
        }
        // Only a real tie is decided here; a request that matches one kind only goes there as before.
        if (hasWanted && hasOther)
        {
            for (var i = 0; i < candidates.Count; i++)
            {
                if (candidates.IsValidCandidate(i) && IsPage(candidates[i].Endpoint) != wantsPage)
                {
                    candidates.SetValidity(i, false);
                }
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Whether the request asks for HTML, as a browser navigating does.</summary>
    internal static bool WantsHtml(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static bool IsPage(Endpoint endpoint) => endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null;
}
