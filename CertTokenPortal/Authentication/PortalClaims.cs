using System.Security.Claims;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Authentication;

/// <summary>Reads the portal's claims (name, role, realm) from a login, whether it came by cookie or by JWT.</summary>
public static class PortalClaims
{
    public const string Realm = "realm";

    /// <summary>The account id in an API token (a cookie carries Identity's name identifier claim).</summary>
    public const string AccountId = "user_id";

    /// <summary>The <see cref="Actor"/> for a logged-in principal, or null for an anonymous one.</summary>
    public static Actor? ToActor(this ClaimsPrincipal principal, string? clientAddress)
    {
        if (principal.Identity?.IsAuthenticated != true || string.IsNullOrEmpty(principal.Identity.Name))
        {
            return null;
        }
        var role = PortalRoles.All.FirstOrDefault(principal.IsInRole) ?? PortalRoles.User;
        return new Actor(principal.Identity.Name, principal.FindFirstValue(Realm) ?? "", role, clientAddress)
        {
            AccountId = principal.FindFirstValue(AccountId) ?? principal.FindFirstValue(ClaimTypes.NameIdentifier),
        };
    }
}
