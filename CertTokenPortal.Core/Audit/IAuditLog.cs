using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;

namespace CertTokenPortal.Core.Audit;

/// <summary>Writes the audit log: every change and every refused attempt.</summary>
public interface IAuditLog
{
    /// <summary>
    /// Adds an entry to <paramref name="db"/> without saving it, so that it commits (or rolls back) together with
    /// the change it describes.
    /// </summary>
    void Add(PortalDbContext db, Actor actor, AuditEvent auditEvent);

    /// <summary>Writes an entry at once, in its own unit of work (for refusals and events that change nothing else).</summary>
    Task RecordAsync(Actor actor, AuditEvent auditEvent, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the entry of a read that changed nothing (a listing): committed and visible before it returns, kept if the
    /// portal process dies, but its commit does not wait for the disk's flush, so a power cut may lose the last such
    /// entries. Changes and refusals use <see cref="RecordAsync"/> or <see cref="Add"/>, whose commits are flushed.
    /// </summary>
    Task RecordReadAsync(Actor actor, AuditEvent auditEvent, CancellationToken cancellationToken = default);
}
