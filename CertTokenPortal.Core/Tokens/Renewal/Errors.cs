using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>The named refusals of renewal and rekey, so tests match the error and not its wording.</summary>
public static class RenewalErrors
{
    public static PortalError Revoked(string serial, string? reason) =>
        PortalError.TokenLocked($"Token {serial} is revoked ({reason}); a revoked certificate cannot be renewed. Enrol a new token instead.");

    public static PortalError OnHold(string serial) =>
        PortalError.Conflict($"Token {serial} is on hold (certificateHold); staff release it first, then it can be renewed.");

    public static PortalError NotEnrolled(string serial, RolloutState state) =>
        PortalError.Conflict($"Token {serial} holds no certificate (it is {state.ToName()}); only an enrolled token can be renewed.");

    public static PortalError Uploaded(string serial) =>
        PortalError.Validation($"Token {serial} holds an uploaded certificate that no CA of the portal issued, so it cannot be renewed here; upload its successor as a new token.");

    public static PortalError AlreadyPending(string serial, string? requestId) =>
        PortalError.Conflict($"A renewal of token {serial} already waits for approval (request {requestId}); it must be decided first.");

    public static PortalError OutsideWindow(string serial, DateTime opensAt, int days) =>
        PortalError.Validation($"Token {serial} can be renewed from {opensAt:yyyy-MM-dd HH:mm} UTC on ({days} days before it expires); ask the helpdesk to renew it earlier.");

    public static PortalError KeyCompromised(string serial) =>
        PortalError.Validation($"The key of token {serial} was reported compromised (keyCompromise); it cannot be certified again. Renew with a new key or a new CSR.");

    public static PortalError SameKeyForbidden(string serial, string template) =>
        PortalError.Validation($"Template '{template}' does not renew with the same key; token {serial} needs a new key (genkey=1) or a new CSR (request).");

    public static PortalError SameKeyNeedsCsr(string serial, string ca) =>
        PortalError.Validation($"The CA '{ca}' issues only after an approval and needs a signed request; renew token {serial} with a new CSR (request).");

    public static PortalError TemplateGone(string serial, string ca, string? template) =>
        PortalError.Conflict($"Token {serial} cannot be renewed: its template '{template}' of CA '{ca}' does not exist any more.");

    public static PortalError Concurrent(string serial) =>
        PortalError.Conflict($"Token {serial} was renewed or changed a moment ago; look at it again before renewing.");

    public static PortalError CaFailed(string serial, string message) =>
        new(ErrorKind.Unavailable, $"Token {serial} was not renewed and keeps its certificate: {message}") { Reason = ErrorReason.CaFailure };

    /// <summary>
    /// A CA that decides later on its own (polled, not approved here): its answer would have to find the renewal, which
    /// only approvals do so far.
    /// </summary>
    public static PortalError DecidesLater(string serial, string ca) =>
        PortalError.Conflict($"The CA '{ca}' decides requests later on its own, and token {serial} cannot be renewed through it here; enrol a new token instead.");
}
