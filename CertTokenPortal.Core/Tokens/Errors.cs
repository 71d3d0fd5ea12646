using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Tokens;

/// <summary>The named errors of the token use cases (access errors are <see cref="TokenAccess"/>'s).</summary>
public static class TokenErrors
{
    public static readonly PortalError NotAllowedToDecide = PortalError.Forbidden("Only admins may approve or deny requests.");

    /// <summary>Of two revocations of one token, the later one gets this.</summary>
    public static PortalError AlreadyRevoked(string serial) => PortalError.Conflict($"Token {serial} is already revoked.");
}
