using System.Text;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Notifications;

/// <summary>Reads the SMTP settings in force: the admin's row when there is one, else <see cref="MailOptions"/>.</summary>
public sealed class MailSettingsStore(IOptions<MailOptions> options, ISecretProtector protector)
{
    public const string PasswordPurpose = "CertTokenPortal.SmtpPassword.v1";

    public async Task<MailSettings> GetAsync(PortalDbContext db, CancellationToken ct)
    {
        var row = await db.MailSettings.AsNoTracking().FirstOrDefaultAsync(r => r.Id == MailSettingsRecord.SingletonId, ct);
        return row is null ? MailSettings.Of(options.Value) : FromRow(row);
    }

    /// <summary>Whether the settings come from the Notifications page (true) or the configuration file.</summary>
    public static Task<bool> IsOverriddenAsync(PortalDbContext db, CancellationToken ct) =>
        db.MailSettings.AnyAsync(r => r.Id == MailSettingsRecord.SingletonId, ct);

    public byte[]? ProtectPassword(string password) =>
        password.Length == 0 ? null : protector.Protect(PasswordPurpose, Encoding.UTF8.GetBytes(password));

    private MailSettings FromRow(MailSettingsRecord row) => new(
        row.Enabled, row.Host, row.Port, row.Security, row.UserName,
        row.EncryptedPassword is null ? "" : Encoding.UTF8.GetString(protector.Unprotect(PasswordPurpose, row.EncryptedPassword)),
        row.From, row.ServerCertificateSha256,
        ExpiryDays.Parse(row.ExpiryWarningDays).Value);
}

/// <summary>Reads and writes the list of reminder days ("30, 7, 1").</summary>
public static class ExpiryDays
{
    public static Common.Result<IReadOnlyList<int>> Parse(string? text)
    {
        var days = new List<int>();
        foreach (var part in (text ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, out var day) || day is < 1 or > 365)
            {
                return NotificationErrors.BadExpiryDays(part);
            }
            days.Add(day);
        }
        return days.Distinct().OrderDescending().ToList();
    }

    public static string Format(IEnumerable<int> days) => string.Join(", ", days);
}
