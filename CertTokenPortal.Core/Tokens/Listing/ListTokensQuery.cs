using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using static CertTokenPortal.Core.Common.Sorting;

namespace CertTokenPortal.Core.Tokens.Listing;

/// <summary>
/// Lists tokens with filters, sorting and paging computed in the database. A user sees only own tokens, whatever
/// the filter says.
/// </summary>
public sealed class ListTokensQuery(IDbContextFactory<PortalDbContext> dbFactory, IAuditLog audit, UseCaseGuard guard, TimeProvider clock, StoredPkcs12s pkcs12s)
{
    // Everyone may list tokens; TokenFilters narrows a user to their own.
    public Task<Result<TokenPage>> ExecuteAsync(Actor actor, TokenQuery query, CancellationToken ct = default) =>
        guard.RunAsync(actor, null, null, refusal => AuditEvent.Failed(AuditActions.TokenList, refusal.Message),
            () => ListAsync(actor, query, ct), ct);

    private async Task<Result<TokenPage>> ListAsync(Actor actor, TokenQuery query, CancellationToken ct)
    {
        if (query.Page < 1 || query.PageSize < 1 || query.PageSize > TokenQuery.MaxPageSize)
        {
            return PortalError.Validation($"page must be 1 or more and pagesize between 1 and {TokenQuery.MaxPageSize}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tokens = TokenFilters.Apply(db.Tokens.AsNoTracking(), db.Users.AsNoTracking(), db.TokenInfo.AsNoTracking(), actor, query, clock.GetUtcNow().UtcDateTime);
        var count = await tokens.CountAsync(ct);

        // OFFSET walks the skipped rows, so a page in the back half is read from the other end in reverse:
        // the last pages cost as little as the first ones.
        var skip = (long)(query.Page - 1) * query.PageSize;
        var rows = new List<TokenView>();
        List<string> handedOut = [];
        if (skip < count)
        {
            var fromEnd = skip > count / 2;
            var take = (int)Math.Min(query.PageSize, count - skip);
            var offset = fromEnd ? count - skip - take : skip;
            rows = await Sort(tokens, query.SortBy, query.Descending ^ fromEnd)
                .Skip((int)offset).Take(take)
                .Select(TokenView.Projection)
                .ToListAsync(ct);
            if (fromEnd)
            {
                rows.Reverse();
            }
            rows = await TokenOwners.AttachAsync(db, rows, ct);
            rows = await Info.TokenInfoEntries.AttachAsync(db, rows, ct);
            if (query.IncludePkcs12)
            {
                (rows, handedOut) = await pkcs12s.AttachAsync(db, actor, rows, ct);
            }
        }

        // Handing out a PKCS#12 is a download; the listing's audit entry names the files it carried.
        var files = handedOut.Count == 0 ? "" : $"; with the stored PKCS#12 of {handedOut.Count}: {string.Join(", ", handedOut)}";
        audit.Add(db, actor, AuditEvent.Succeeded(AuditActions.TokenList, $"Listed page {query.Page} ({rows.Count} of {count} tokens){files}."));
        await db.SaveChangesAsync(ct);
        return new TokenPage(rows, count, query.Page, query.PageSize);
    }

    /// <summary>Sorts by the chosen column, then by id, so that pages are stable when many values are equal.</summary>
    private static IQueryable<CertificateToken> Sort(IQueryable<CertificateToken> tokens, TokenSortField field, bool descending)
    {
        var ordered = field switch
        {
            TokenSortField.Serial => By(tokens, t => t.Serial, descending),
            TokenSortField.UserName => By(tokens, t => t.OwnerUserName, descending),
            TokenSortField.Realm => By(tokens, t => t.OwnerRealm, descending),
            TokenSortField.Description => By(tokens, t => t.Description, descending),
            TokenSortField.RolloutState => By(tokens, t => t.RolloutState, descending),
            TokenSortField.Subject => By(tokens, t => t.Subject, descending),
            TokenSortField.CaName => By(tokens, t => t.CaName, descending),
            TokenSortField.TemplateName => By(tokens, t => t.TemplateName, descending),
            TokenSortField.NotBefore => By(tokens, t => t.NotBefore, descending),
            TokenSortField.NotAfter => By(tokens, t => t.NotAfter, descending),
            TokenSortField.CreatedAt => By(tokens, t => t.CreatedAt, descending),
            TokenSortField.Active => By(tokens, t => t.Active, descending),
            TokenSortField.Revoked => By(tokens, t => t.Revoked, descending),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
        };
        return descending ? ordered.ThenByDescending(t => t.Id) : ordered.ThenBy(t => t.Id);
    }
}
