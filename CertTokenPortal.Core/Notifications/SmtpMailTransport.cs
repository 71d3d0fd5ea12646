using System.Net.Security;
using System.Security.Cryptography;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace CertTokenPortal.Core.Notifications;

/// <summary>Hands one e-mail to an SMTP server. Throws when the server refuses it or cannot be reached.</summary>
public interface IMailTransport
{
    /// <summary>Sends <paramref name="mail"/> to <paramref name="recipient"/> with <paramref name="settings"/>.</summary>
    Task SendAsync(MailSettings settings, string recipient, RenderedMail mail, CancellationToken ct);
}

/// <summary>SMTP through MailKit: STARTTLS, TLS or plain, with authentication when a user name is set.</summary>
public sealed class SmtpMailTransport : IMailTransport
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task SendAsync(MailSettings settings, string recipient, RenderedMail mail, CancellationToken ct)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(recipient));
        message.Subject = mail.Subject;
        message.Body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody }.ToMessageBody();

        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        if (settings.ServerCertificateSha256.Length > 0)
        {
            var pinned = Convert.FromHexString(settings.ServerCertificateSha256.Replace(":", ""));
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None ||
                (certificate is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), pinned));
        }
        var security = settings.Security switch
        {
            MailSecurity.Tls => SecureSocketOptions.SslOnConnect,
            MailSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(settings.Host, settings.Port, security, ct);
        if (settings.UserName.Length > 0)
        {
            await client.AuthenticateAsync(settings.UserName, settings.Password, ct);
        }
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }
}
