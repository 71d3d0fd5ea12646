using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Tokens.Listing;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>
/// Reads one token, for its page and the API; staff see any, a user only own tokens. With
/// <c>includePkcs12</c> (the API's token detail) the stored PKCS#12 comes along for a caller who may
/// download it, and that hand-out is audited as a download.
/// </summary>
public sealed class GetTokenQuery(IDbContextFactory<PortalDbContext> dbFactory, StoredPkcs12s pkcs12s, IAuditLog audit)
{
    public async Task<Result<TokenView>> ExecuteAsync(Actor actor, string serial, bool includePkcs12 = false, CancellationToken ct = default)
    {
        if (!TokenSerials.IsWellFormed(serial))
        {
            return TokenAccess.NotFound(serial ?? "");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var token = await db.Tokens.AsNoTracking().Where(t => t.Serial == serial).Select(TokenView.Projection).FirstOrDefaultAsync(ct);
        if (token is null)
        {
            return TokenAccess.NotFound(serial);
        }
        if (TokenAccess.CheckView(actor, token) is { } denied)
        {
            return denied;
        }
        var withOwner = await TokenOwners.AttachAsync(db, [token], ct);
        var withInfo = await Info.TokenInfoEntries.AttachAsync(db, withOwner, ct);
        if (!includePkcs12)
        {
            return withInfo[0];
        }
        var (withPkcs12, handedOut) = await pkcs12s.AttachAsync(db, actor, withInfo, ct);
        if (handedOut.Count > 0)
        {
            await audit.RecordAsync(actor, AuditEvent.Succeeded(AuditActions.TokenDownloadPkcs12,
                $"Handed out the PKCS#12 of token {serial} with its details (info.pkcs12).") with { Serial = token.Serial, TargetUser = token.UserName, CaName = token.CaName }, ct);
        }
        return withPkcs12[0];
    }
}
