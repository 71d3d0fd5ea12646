using CertTokenPortal.Core.Configuration;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Hosting;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Authentication;

/// <summary>
/// Re-checks an open browser session every few seconds (<c>Portal:Sessions:CheckSeconds</c>): a locked, deleted,
/// demoted or re-passworded account (new security stamp) loses its circuit instead of keeping it until the tab closes.
/// </summary>
internal sealed class RevalidatingPortalAuthenticationStateProvider(
    ILoggerFactory loggerFactory, IServiceProvider services, SessionValidator sessions, IOptions<SessionSettings> settings)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(settings.Value.CheckSeconds);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        sessions.IsValidAsync(PortalWebServiceCollectionExtensions.SessionClaimsOf(authenticationState.User, services), cancellationToken);
}
