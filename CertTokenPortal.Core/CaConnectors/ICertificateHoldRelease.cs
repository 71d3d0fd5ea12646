using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>A CA that can release a certificate from hold (RFC 5280 <c>certificateHold</c> is the one revocation that can be undone).</summary>
public interface ICertificateHoldRelease
{
    /// <summary>
    /// Makes a certificate on hold valid again, at once, like <see cref="ICaConnector.RevokeAsync"/>.
    /// <see cref="ErrorKind.NotFound"/> for an unknown serial, <see cref="ErrorKind.Conflict"/> when it is not on hold.
    /// Publish a CRL afterwards, so that the entry disappears from it.
    /// </summary>
    Task<Result> ReleaseHoldAsync(string serialHex, CancellationToken cancellationToken);
}
