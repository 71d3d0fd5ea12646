using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens.Enrolment;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>
/// Puts a new certificate into a token, inside the caller's transaction: the old one becomes a superseded history row
/// (with the moment it is to be revoked, from the template's grace period), the new one the current row, and the CA's
/// ledger line is added. Shared by a renewal issued at once and one an approver issued later.
/// </summary>
public sealed class CertificateReplacement(TokenCertificateWriter writer, TimeProvider clock)
{
    /// <returns>The replaced certificate's row.</returns>
    public async Task<TokenCertificate> ReplaceAsync(PortalDbContext db, CertificateToken token, IssuedCertificate issued, string origin,
        int? graceDays, string? keyDescription, string by, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var old = await db.TokenCertificates.FirstOrDefaultAsync(c => c.TokenId == token.Id && c.State == TokenCertificateStates.Current, ct);
        if (old is null)
        {
            // A token whose certificate came before the history: its row is made now, from what the token holds.
            old = TokenCertificateRows.Of(token, TokenCertificateStates.Current, TokenCertificateOrigins.Enrolment, token.CreatedBy, token.UpdatedAt);
            db.TokenCertificates.Add(old);
        }
        writer.Fill(token, issued.Certificate, keyDescription);
        old.State = TokenCertificateStates.Superseded;
        old.Reason = $"replaced by certificate {token.CertificateSerial} ({origin})";
        old.RevokeAfter = graceDays is { } days ? now.AddDays(days) : null;
        token.UpdatedAt = now;
        token.Version = Guid.NewGuid();
        db.TokenCertificates.Add(TokenCertificateRows.Of(token, TokenCertificateStates.Current, origin, by, now));
        EnrolmentRecorder.AddLedgerLine(db, token, issued);
        return old;
    }

    /// <summary>What becomes of a replaced certificate, in words.</summary>
    public static string Fate(TokenCertificate replaced) => replaced.RevokeAfter is { } at
        ? $"which is revoked as superseded from {at:yyyy-MM-dd HH:mm} UTC."
        : "which is left to expire.";
}
