using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;

namespace CertTokenPortal.Core.Audit;

internal sealed class AuditLog(AuditEntryBatch batch, TimeProvider clock) : IAuditLog
{
    private const int MaxMessageLength = 2048;

    public void Add(PortalDbContext db, Actor actor, AuditEvent auditEvent) =>
        db.AuditEntries.Add(ToEntry(actor, auditEvent));

    /// <remarks>
    /// A transaction of its own (not the caller's), so that a refused operation's half-made changes can never ride along
    /// with its audit entry; written with the other stand-alone entries of the moment (<see cref="AuditEntryBatch"/>):
    /// reads such as a token listing are audited too, and one commit each was most of what a listing cost.
    /// </remarks>
    public Task RecordAsync(Actor actor, AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
        batch.AddAsync(ToEntry(actor, auditEvent), durable: true, cancellationToken);

    /// <remarks>
    /// With eight clients listing, each listing waited for a flush of the disk for its audit entry, and no batch can
    /// hold more entries than there are clients waiting: the flush's latency capped listings at about 800/s (profile).
    /// </remarks>
    public Task RecordReadAsync(Actor actor, AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
        batch.AddAsync(ToEntry(actor, auditEvent), durable: false, cancellationToken);

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
