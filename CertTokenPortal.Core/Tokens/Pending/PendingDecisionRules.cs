using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.Tokens.Pending;

/// <summary>Who may decide a pending request: an admin, and never for a request made by or for themself.</summary>
public static class PendingDecisionRules
{
    /// <summary>Why <paramref name="actor"/> may not decide this token's request, or null when they may (for the buttons of the Pending page).</summary>
    public static PortalError? CheckMayDecide(Actor actor, TokenView token) =>
        CheckMayDecide(actor, token.Serial, token.UserName, token.CreatedBy);

    internal static PortalError? CheckMayDecide(Actor actor, string serial, string ownerUserName, string createdBy)
    {
        if (!actor.Allows(Permission.DecideApprovals))
        {
            return TokenErrors.NotAllowedToDecide;
        }
        // User names are unique across realms, so the name alone identifies the admin.
        var own = string.Equals(ownerUserName, actor.UserName, StringComparison.OrdinalIgnoreCase) ||
                  string.Equals(createdBy, actor.UserName, StringComparison.OrdinalIgnoreCase);
        return own
            ? PortalError.Forbidden($"The request of token {serial} was made by or for you; another admin must decide it.")
            : null;
    }
}
