using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;

namespace CertTokenPortal.Core.CaConnectors;

/// <summary>A CA that can release a certificate from hold (RFC 5280 <c>certificateHold</c> is the one revocation that can be undone).</summary>
public interface ICertificateHoldRelease
{
    /// <summary>
    /// Makes a certificate on hold valid again, inside the caller's transaction like <see cref="ICaConnector.RevokeAsync"/>.
    /// <see cref="ErrorKind.NotFound"/> for an unknown serial, <see cref="ErrorKind.Conflict"/> when it is not on hold.
    /// Publish a CRL after the caller commits, so that the entry disappears from it.
    /// </summary>
    Task<Result> ReleaseHoldAsync(PortalDbContext db, string serialHex, CancellationToken cancellationToken);
}
