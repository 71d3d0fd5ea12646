using System.ComponentModel.DataAnnotations;

namespace CertTokenPortal.Core.Notifications;

/// <summary>How the portal talks to its SMTP server.</summary>
public enum MailSecurity
{
    /// <summary>Plain SMTP, upgraded with STARTTLS; refuses a server that does not offer it.</summary>
    StartTls,
    /// <summary>TLS from the first byte (SMTPS, usually port 465).</summary>
    Tls,
    /// <summary>No encryption; only for a relay on the same host or in tests.</summary>
    None,
}

/// <summary>
/// The <c>Portal:Mail</c> section: the SMTP server and the reminder schedule. An admin may override the server
/// settings on the Notifications page (kept in the database, so that every instance uses the same ones).
/// </summary>
public sealed class MailOptions : IValidatableObject
{
    public const string Section = "Portal:Mail";

    /// <summary>Whether notifications are written and sent at all.</summary>
    public bool Enabled { get; set; }

    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public MailSecurity Security { get; set; } = MailSecurity.StartTls;

    /// <summary>Empty: no SMTP authentication.</summary>
    public string UserName { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>The sender, e.g. <c>CertTokenPortal &lt;pki@example.com&gt;</c>.</summary>
    public string From { get; set; } = "";

    /// <summary>
    /// The SHA-256 fingerprint (hex) of a server certificate to trust although no public CA vouches for it, for an
    /// internal relay with its own certificate. Empty: only certificates the operating system trusts.
    /// </summary>
    public string ServerCertificateSha256 { get; set; } = "";

    /// <summary>Days before expiry at which the owner is reminded, once each.</summary>
    public int[] ExpiryWarningDays { get; set; } = [30, 7, 1];

    [Range(1, 1440)]
    public int ExpiryCheckIntervalMinutes { get; set; } = 60;

    [Range(1, 3600)]
    public int SendIntervalSeconds { get; set; } = 15;

    /// <summary>How often a message is tried before it is marked failed.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry waits this long; each further one twice as long (at most a day).</summary>
    [Range(1, 86400)]
    public int RetryBaseSeconds { get; set; } = 60;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ExpiryWarningDays.Any(d => d is < 1 or > 365))
        {
            yield return new ValidationResult("Portal:Mail:ExpiryWarningDays must hold days from 1 to 365.");
        }
        if (Enabled && (string.IsNullOrWhiteSpace(Host) || string.IsNullOrWhiteSpace(From)))
        {
            yield return new ValidationResult("Portal:Mail:Host and Portal:Mail:From are required when Portal:Mail:Enabled is true.");
        }
    }
}
