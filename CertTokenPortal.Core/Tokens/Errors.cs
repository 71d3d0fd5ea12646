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

    public static readonly PortalError ReleaseNotAllowed = PortalError.Forbidden("Only admins and helpdesk may release a certificate from hold.");

    /// <summary>Only certificateHold can be undone; every other reason is final.</summary>
    public static PortalError RevocationIsFinal(string serial, string? reason) =>
        PortalError.Conflict($"Token {serial} was revoked with the reason {reason}, which is final; only a certificate on hold (certificateHold) can be released.");

    /// <summary>The stored PKCS#12 of a token is protected by its current PIN; changing the PIN re-protects it, which needs that PIN.</summary>
    public static PortalError CurrentPinNeeded(string serial) => PortalError.Validation(
        $"Token {serial} holds a stored PKCS#12 protected by its current PIN: give it as current_pin (or the one-time password shown at enrolment) so the file can be protected by the new PIN.");

    /// <summary>The current PIN given does not open the stored PKCS#12 (or does not match the PIN's hash); nothing was changed.</summary>
    public static PortalError WrongCurrentPin(string serial) =>
        PortalError.Validation($"current_pin is not the current PIN of token {serial}; the PIN was not changed.");

    public static PortalError NotOnHold(string serial) => PortalError.Conflict($"Token {serial} is not on hold.");
}
