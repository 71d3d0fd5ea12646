using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Lifecycle;

/// <summary>Reads one token, for its page and the API; staff see any, a user only own tokens.</summary>
public sealed class GetTokenQuery(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<Result<TokenView>> ExecuteAsync(Actor actor, string serial, CancellationToken ct = default)
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
        var withOwner = await Listing.TokenOwners.AttachAsync(db, [token], ct);
        return (await Info.TokenInfoEntries.AttachAsync(db, withOwner, ct))[0];
    }
}
