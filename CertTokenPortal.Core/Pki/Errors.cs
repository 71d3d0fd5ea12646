using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Pki;

/// <summary>The named errors of reading certificate requests that people meet often enough to be told what to do instead.</summary>
public static class PkiErrors
{
    /// <summary>A certificate was given where a request belongs: a common mix-up, with a way out in the wizard.</summary>
    public static readonly PortalError CertificateNotRequest = PortalError.Validation(
        "This is a certificate, not a request: choose Upload certificate to add an existing certificate, or paste the certificate request (CSR).");
}
