using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Attestation;

/// <summary>The named errors of attestation-root administration.</summary>
public static class AttestationErrors
{
    public static readonly PortalError NotAllowedToView = PortalError.Forbidden("Only admins and helpdesk staff may view attestation roots.");
    public static readonly PortalError NotAllowedToAdd = PortalError.Forbidden("Only admins may add attestation roots.");
    public static readonly PortalError NotAllowedToRemove = PortalError.Forbidden("Only admins may remove attestation roots.");
    public static PortalError NoSuchRoot(string name) => PortalError.NotFound($"There is no attestation root named '{name}'.");
}
