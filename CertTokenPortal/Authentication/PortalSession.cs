using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Components.Authorization;

namespace CertTokenPortal.Authentication;

/// <summary>
/// The logged-in user of one browser session (Blazor circuit), as an <see cref="Actor"/> for the Core services.
/// The client address is captured when the page is first served, because a circuit has no HTTP request of its own.
/// </summary>
public sealed class PortalSession(AuthenticationStateProvider authentication)
{
    public string? ClientAddress { get; set; }

    /// <summary>The current actor; pages are only reachable logged in, so an anonymous session here is a bug.</summary>
    public async Task<Actor> GetActorAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.ToActor(ClientAddress)
            ?? throw new InvalidOperationException("A page that needs a login was rendered without one.");
    }
}
