namespace CertTokenPortal.Core.Notifications;

/// <summary>The SMTP settings in force: the admin's (database) when saved, else the configuration file's.</summary>
public sealed record MailSettings(
    bool Enabled,
    string Host,
    int Port,
    MailSecurity Security,
    string UserName,
    string Password,
    string From,
    string ServerCertificateSha256,
    IReadOnlyList<int> ExpiryWarningDays)
{
    /// <summary>Whether mail can be sent: switched on and a server and sender named.</summary>
    public bool CanSend => Enabled && !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(From);

    public static MailSettings Of(MailOptions o) => new(o.Enabled, o.Host, o.Port, o.Security, o.UserName, o.Password, o.From,
        o.ServerCertificateSha256, o.ExpiryWarningDays.Distinct().OrderDescending().ToList());
}

/// <summary>The admin's SMTP settings, one row; the password is encrypted with Data Protection.</summary>
public class MailSettingsRecord
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    public bool Enabled { get; set; }
    public string Host { get; set; } = "";
    public int Port { get; set; }
    public MailSecurity Security { get; set; }
    public string UserName { get; set; } = "";
    public byte[]? EncryptedPassword { get; set; }
    public string From { get; set; } = "";
    public string ServerCertificateSha256 { get; set; } = "";
    /// <summary>Comma-separated days, e.g. "30,7,1".</summary>
    public string ExpiryWarningDays { get; set; } = "";
    public string UpdatedBy { get; set; } = "";
    public DateTime UpdatedAt { get; set; }
}
