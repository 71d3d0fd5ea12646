using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Tokens;

/// <summary>The named errors of the token use cases (access errors are <see cref="TokenAccess"/>'s).</summary>
public static class TokenErrors
{
    public static readonly PortalError NotAllowedToDecide = PortalError.Forbidden("Only admins may approve or deny requests.");

    /// <summary>Revoking a revoked token: 400 with privacyIDEA's "token locked" (1007), as privacyIDEA answers it.</summary>
    public static PortalError AlreadyRevoked(string serial) => PortalError.TokenLocked($"Token {serial} is already revoked.");
}
