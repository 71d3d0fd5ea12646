using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens;

namespace CertTokenPortal.Core.Notifications;

/// <summary>
/// The token events that mail someone, each one call for the use case that causes it. Every method adds to the
/// caller's context inside its transaction, so the mail is written exactly when the event is.
/// </summary>
public sealed class TokenNotifications(NotificationOutbox outbox)
{
    /// <summary>A request waits: every approver except the requester and the owner hears of it.</summary>
    public async Task RequestWaitingAsync(PortalDbContext db, Actor actor, CertificateToken token, CancellationToken ct)
    {
        var approvers = await NotificationRecipients.ApproversAsync(db, [token.OwnerUserName, token.CreatedBy, actor.UserName], ct);
        await outbox.AddAsync(db, NotificationKind.RequestWaiting, approvers,
            Values(token, actor, (Placeholders.PendingUrl, $"{outbox.BaseUrl}/pending")), token.Serial, ct);
    }

    /// <summary>A pending request was approved or denied: the owner and whoever asked for it hear of it.</summary>
    public async Task RequestDecidedAsync(PortalDbContext db, Actor actor, CertificateToken token, bool approved, CancellationToken ct)
    {
        var recipients = (await NotificationRecipients.UserAsync(db, token.OwnerUserName, token.OwnerRealm, ct))
            .Concat(await NotificationRecipients.UserAsync(db, token.CreatedBy, null, ct));
        await outbox.AddAsync(db, approved ? NotificationKind.RequestApproved : NotificationKind.RequestDenied, recipients,
            Values(token, actor, (Placeholders.Reason, token.FailureMessage ?? "")), token.Serial, ct);
    }

    /// <summary>A certificate was revoked: its owner hears of it, with the reason.</summary>
    public async Task RevokedAsync(PortalDbContext db, Actor actor, CertificateToken token, string reason, CancellationToken ct)
    {
        var owner = await NotificationRecipients.UserAsync(db, token.OwnerUserName, token.OwnerRealm, ct);
        await outbox.AddAsync(db, NotificationKind.TokenRevoked, owner,
            Values(token, actor, (Placeholders.Reason, reason)), token.Serial, ct);
    }

    /// <summary>The certificate of <paramref name="token"/> expires in <paramref name="daysLeft"/> days.</summary>
    public async Task<int> ExpiringAsync(PortalDbContext db, CertificateToken token, int daysLeft, CancellationToken ct)
    {
        var owner = await NotificationRecipients.UserAsync(db, token.OwnerUserName, token.OwnerRealm, ct);
        return await outbox.AddAsync(db, NotificationKind.ExpiryWarning, owner,
            Values(token, Actor.System,
                (Placeholders.DaysLeft, daysLeft.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                (Placeholders.RenewUrl, $"{outbox.TokenUrl(token.Serial)}?renew=1")), token.Serial, ct);
    }

    private Dictionary<string, string> Values(CertificateToken token, Actor actor, params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string>
        {
            [Placeholders.Serial] = token.Serial,
            [Placeholders.Owner] = token.OwnerUserName,
            [Placeholders.Requester] = token.CreatedBy,
            [Placeholders.Subject] = token.Subject ?? "",
            [Placeholders.Ca] = token.CaName ?? "",
            [Placeholders.NotAfter] = NotificationOutbox.FormatTime(token.NotAfter),
            [Placeholders.TokenUrl] = outbox.TokenUrl(token.Serial),
            [Placeholders.Actor] = actor.UserName,
        };
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }
        return values;
    }
}
