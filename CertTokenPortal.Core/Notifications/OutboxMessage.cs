namespace CertTokenPortal.Core.Notifications;

public enum OutboxState
{
    Pending,
    Sent,
    Failed,
}

/// <summary>
/// One e-mail to send, written in the same transaction as the event it tells of, so that a committed event always
/// has its mail and a rolled-back one never does. The sender claims it with a conditional update before sending.
/// </summary>
public class OutboxMessage
{
    public long Id { get; set; }
    public NotificationKind Kind { get; set; }
    public string Recipient { get; set; } = "";
    public string Subject { get; set; } = "";
    public string TextBody { get; set; } = "";
    public string HtmlBody { get; set; } = "";
    /// <summary>The token the mail is about, if any.</summary>
    public string? Serial { get; set; }

    public OutboxState State { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Not before this time (the back-off after a failure).</summary>
    public DateTime NextAttemptAt { get; set; }
    /// <summary>While set and in the future, one instance is sending this message; others leave it alone.</summary>
    public DateTime? ClaimedUntil { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>
/// That the owner was reminded of the expiry of one certificate of one token at one threshold. Its unique key makes the
/// database the referee: of several instances scanning at once, exactly one inserts it and writes the mail.
/// </summary>
public class ExpiryNotice
{
    public long Id { get; set; }
    public string TokenSerial { get; set; } = "";
    public string CertificateSerial { get; set; } = "";
    public int ThresholdDays { get; set; }
    public DateTime CreatedAt { get; set; }
}
