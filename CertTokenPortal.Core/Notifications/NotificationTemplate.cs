namespace CertTokenPortal.Core.Notifications;

/// <summary>An admin's version of one notification's subject and bodies; without a row the built-in text applies.</summary>
public class NotificationTemplate
{
    public const int MaxSubjectLength = 256;
    public const int MaxBodyLength = 16000;

    public NotificationKind Kind { get; set; }
    public string Subject { get; set; } = "";
    public string TextBody { get; set; } = "";
    public string HtmlBody { get; set; } = "";
    public string UpdatedBy { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
}

/// <summary>The built-in texts, used until an admin saves their own.</summary>
public static class DefaultNotificationTemplates
{
    public static NotificationTemplate For(NotificationKind kind) => kind switch
    {
        NotificationKind.ExpiryWarning => Make(kind,
            "Your certificate {{serial}} expires in {{days_left}} days",
            "Hello {{recipient}},\n\nyour certificate {{subject}} (token {{serial}}) expires on {{not_after}}, in {{days_left}} days.\nRenew it here: {{renew_url}}\n\nCertTokenPortal",
            "<p>Hello {{recipient}},</p><p>your certificate <b>{{subject}}</b> (token {{serial}}) expires on {{not_after}}, in {{days_left}} days.</p><p><a href=\"{{renew_url}}\">Renew it</a></p>"),
        NotificationKind.RequestWaiting => Make(kind,
            "Certificate request {{serial}} waits for your decision",
            "Hello {{recipient}},\n\n{{requester}} asked for a certificate {{subject}} for {{owner}} from CA {{ca}} (token {{serial}}).\nApprove or deny it here: {{pending_url}}\n\nCertTokenPortal",
            "<p>Hello {{recipient}},</p><p>{{requester}} asked for a certificate <b>{{subject}}</b> for {{owner}} from CA {{ca}} (token {{serial}}).</p><p><a href=\"{{pending_url}}\">Approve or deny it</a></p>"),
        NotificationKind.RequestApproved => Make(kind,
            "Your certificate request {{serial}} was approved",
            "Hello {{recipient}},\n\nthe certificate request {{serial}} for {{owner}} was approved by {{actor}}; the certificate {{subject}} is valid until {{not_after}}.\nDownload it here: {{token_url}}\n\nCertTokenPortal",
            "<p>Hello {{recipient}},</p><p>the certificate request {{serial}} for {{owner}} was approved by {{actor}}; the certificate <b>{{subject}}</b> is valid until {{not_after}}.</p><p><a href=\"{{token_url}}\">Download it</a></p>"),
        NotificationKind.RequestDenied => Make(kind,
            "Your certificate request {{serial}} was denied",
            "Hello {{recipient}},\n\nthe certificate request {{serial}} for {{owner}} was denied by {{actor}}.\nReason: {{reason}}\n\nCertTokenPortal",
            "<p>Hello {{recipient}},</p><p>the certificate request {{serial}} for {{owner}} was denied by {{actor}}.</p><p>Reason: {{reason}}</p>"),
        NotificationKind.TokenRevoked => Make(kind,
            "Your certificate {{serial}} was revoked",
            "Hello {{recipient}},\n\nyour certificate {{subject}} (token {{serial}}) was revoked by {{actor}} with the reason {{reason}}.\nDetails: {{token_url}}\n\nCertTokenPortal",
            "<p>Hello {{recipient}},</p><p>your certificate <b>{{subject}}</b> (token {{serial}}) was revoked by {{actor}} with the reason {{reason}}.</p><p><a href=\"{{token_url}}\">Details</a></p>"),
        NotificationKind.TestMail => Make(kind,
            "CertTokenPortal test mail",
            "Hello {{recipient}},\n\nthis is a test mail sent by {{actor}} from {{portal_url}}. Mail works.\n\nCertTokenPortal",
            "<p>Hello {{recipient}},</p><p>this is a test mail sent by {{actor}} from <a href=\"{{portal_url}}\">{{portal_url}}</a>. Mail works.</p>"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static NotificationTemplate Make(NotificationKind kind, string subject, string text, string html) =>
        new() { Kind = kind, Subject = subject, TextBody = text, HtmlBody = html, UpdatedBy = "built-in" };
}
