using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>One row of a token's certificate history, as the token page and the API show it.</summary>
public sealed record TokenCertificateView(
    string State, string Origin, string? Reason, string? CertificateSerial, string? Subject, string? KeyDescription,
    DateTime? NotBefore, DateTime? NotAfter, string? RequestId, DateTime? RevokeAfter, DateTime? RevokedAt,
    string CreatedBy, DateTime CreatedAt, string? CertificatePem);

/// <summary>Every certificate a token holds or held, newest first; staff see any token's, a user only their own.</summary>
public sealed class TokenCertificatesQuery(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<Result<IReadOnlyList<TokenCertificateView>>> ExecuteAsync(Actor actor, string serial, CancellationToken ct = default)
    {
        if (!TokenSerials.IsWellFormed(serial))
        {
            return TokenAccess.NotFound(serial ?? "");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Serial == serial, ct);
        if (token is null || TokenAccess.CheckView(actor, token) is not null)
        {
            return TokenAccess.NotFound(serial);
        }
        var rows = await db.TokenCertificates.AsNoTracking().Where(c => c.TokenId == token.Id)
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).ToListAsync(ct);
        return rows.Select(c => new TokenCertificateView(
            // The current certificate's revocation is the token's own.
            c.State == TokenCertificateStates.Current && token.Revoked ? TokenCertificateStates.Revoked : c.State,
            c.Origin,
            c.State == TokenCertificateStates.Current && token.Revoked ? token.RevocationReason : c.Reason,
            c.CertificateSerial, c.Subject, c.KeyDescription, c.NotBefore, c.NotAfter, c.RequestId, c.RevokeAfter,
            c.State == TokenCertificateStates.Current && token.Revoked ? token.RevokedAt : c.RevokedAt,
            c.CreatedBy, c.CreatedAt, c.CertificatePem)).ToList();
    }
}
