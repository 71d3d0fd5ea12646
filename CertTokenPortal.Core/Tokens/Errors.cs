using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Tokens;

/// <summary>The named errors of the token use cases (access errors are <see cref="TokenAccess"/>'s).</summary>
public static class TokenErrors
{
    public static readonly PortalError NotAllowedToDecide = PortalError.Forbidden("Only admins may approve or deny requests.");

    /// <summary>CA compromise speaks for the whole CA, so only admins may give it.</summary>
    public static readonly PortalError CaCompromiseAdminsOnly =
        PortalError.Forbidden("Only admins may revoke with reason 'CA compromise' (cACompromise); choose another reason.");

    /// <summary>Revoking a revoked token: 400 with privacyIDEA's "token locked" (1007), as privacyIDEA answers it.</summary>
    public static PortalError AlreadyRevoked(string serial) => PortalError.TokenLocked($"Token {serial} is already revoked.");
}
