namespace CertTokenPortal.Core.Notifications;

/// <summary>The events the portal mails about; each has one admin-editable template.</summary>
public enum NotificationKind
{
    ExpiryWarning,
    RequestWaiting,
    RequestApproved,
    RequestDenied,
    TokenRevoked,
    TestMail,
}

/// <summary>The placeholders a template may use, as <c>{{name}}</c>.</summary>
public static class Placeholders
{
    public const string PortalUrl = "portal_url";
    public const string Recipient = "recipient";
    public const string Serial = "serial";
    public const string Owner = "owner";
    public const string Requester = "requester";
    public const string Subject = "subject";
    public const string Ca = "ca";
    public const string NotAfter = "not_after";
    public const string DaysLeft = "days_left";
    public const string TokenUrl = "token_url";
    public const string RenewUrl = "renew_url";
    public const string PendingUrl = "pending_url";
    public const string Reason = "reason";
    public const string Actor = "actor";

    public static IReadOnlyList<string> All { get; } =
        [PortalUrl, Recipient, Serial, Owner, Requester, Subject, Ca, NotAfter, DaysLeft, TokenUrl, RenewUrl, PendingUrl, Reason, Actor];
}
