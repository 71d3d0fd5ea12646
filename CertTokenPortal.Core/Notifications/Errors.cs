using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Notifications;

/// <summary>The expected failures of the notification feature.</summary>
public static class NotificationErrors
{
    public static PortalError NotAllowed { get; } = PortalError.Forbidden("Only admins may change notification settings and templates.");
    public static PortalError MissingHost { get; } = PortalError.Validation("Name the SMTP server (host) and the sender address to switch mail on.");
    public static PortalError BadPort { get; } = PortalError.Validation("The SMTP port must be a number from 1 to 65535.");
    public static PortalError BadAddress(string what, string value) => PortalError.Validation($"{what} '{value}' is not an e-mail address.");
    public static PortalError BadExpiryDays(string value) => PortalError.Validation($"'{value}' is not a number of days from 1 to 365; write the reminder days like 30, 7, 1.");
    public static PortalError BadFingerprint { get; } = PortalError.Validation("The server certificate fingerprint must be 64 hex digits (SHA-256), or empty.");
    public static PortalError UnknownPlaceholders(IEnumerable<string> names) =>
        PortalError.Validation($"The template uses unknown placeholders: {string.Join(", ", names.Select(n => "{{" + n + "}}"))}. Known: {string.Join(", ", Placeholders.All)}.");
    public static PortalError TemplateTooLong { get; } = PortalError.Validation($"A subject may hold {NotificationTemplate.MaxSubjectLength} characters and a body {NotificationTemplate.MaxBodyLength}.");
    public static PortalError EmptySubject { get; } = PortalError.Validation("A template needs a subject.");
    public static PortalError MailOff { get; } = PortalError.Conflict("Mail is switched off or has no SMTP server; save the settings first.");
    public static PortalError SendFailed(string message) => PortalError.Conflict($"The test mail could not be sent: {message}");
    public static PortalError MessageNotFound(long id) => PortalError.NotFound($"There is no outbox message {id}.");
    public static PortalError NotFailed(long id) => PortalError.Conflict($"Outbox message {id} has not failed; only failed messages are retried by hand.");
}
