using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Audit;

internal sealed class AuditLog(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock) : IAuditLog
{
    private const int MaxMessageLength = 2048;

    public void Add(PortalDbContext db, Actor actor, AuditEvent auditEvent) =>
        db.AuditEntries.Add(ToEntry(actor, auditEvent));

    public async Task RecordAsync(Actor actor, AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        // A fresh context, so that a refused operation's half-made changes can never ride along with its audit entry.
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(ToEntry(actor, auditEvent));
        await db.SaveChangesAsync(cancellationToken);
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
