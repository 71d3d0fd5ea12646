using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;

namespace CertTokenPortal.Core.Audit;

internal sealed class AuditLog(GroupCommit groupCommit, TimeProvider clock) : IAuditLog
{
    private const int MaxMessageLength = 2048;

    public void Add(PortalDbContext db, Actor actor, AuditEvent auditEvent) =>
        db.AuditEntries.Add(ToEntry(actor, auditEvent));

    /// <remarks>
    /// A context of its own, so that a refused operation's half-made changes can never ride along with its audit entry;
    /// written with whatever else is committing at the moment (<see cref="GroupCommit"/>): reads such as a token listing
    /// are audited too, and one commit each was most of what a listing cost.
    /// </remarks>
    public Task RecordAsync(Actor actor, AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
        WriteAsync(actor, auditEvent, durable: true, cancellationToken);

    /// <remarks>
    /// With eight clients listing, each listing waited for a flush of the disk for its audit entry, and no batch can
    /// hold more entries than there are clients waiting: the flush's latency capped listings at about 800/s (profile).
    /// </remarks>
    public Task RecordReadAsync(Actor actor, AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
        WriteAsync(actor, auditEvent, durable: false, cancellationToken);

    private Task WriteAsync(Actor actor, AuditEvent auditEvent, bool durable, CancellationToken cancellationToken)
    {
        var entry = ToEntry(actor, auditEvent);
        return groupCommit.WriteAsync("", async (db, ct) =>
        {
            db.AuditEntries.Add(entry);
            return new GroupWrite<int>(await db.SaveChangesAsync(ct), Keep: true);
        }, durable, cancellationToken);
    }

    private AuditEntry ToEntry(Actor actor, AuditEvent e) => new()
    {
        Timestamp = clock.GetUtcNow().UtcDateTime,
        UserName = actor.UserName,
        Realm = actor.Realm,
        Role = actor.Role,
        ClientAddress = actor.ClientAddress,
        Action = e.Action,
        Success = e.Success,
        Message = e.Message.Length > MaxMessageLength ? e.Message[..MaxMessageLength] : e.Message,
        Serial = e.Serial,
        TargetUser = e.TargetUser,
        CaName = e.CaName,
    };
}
