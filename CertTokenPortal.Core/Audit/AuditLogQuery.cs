using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using static CertTokenPortal.Core.Common.Sorting;

namespace CertTokenPortal.Core.Audit;

/// <summary>
/// Reads the audit log for admins and helpdesk staff: filtered, sorted and paged in the database, so that a log of
/// millions of lines costs one page. Reading is not itself audited (every page view would add lines to what is read);
/// a refused attempt is.
/// </summary>
public sealed class AuditLogQuery(IDbContextFactory<PortalDbContext> dbFactory, UseCaseGuard guard)
{
    public Task<Result<AuditPage>> ExecuteAsync(Actor actor, AuditQuery query, CancellationToken ct = default) =>
        guard.RunAsync(actor, Permission.ViewAudit, PortalError.Forbidden("Only admins and helpdesk staff may read the audit log."),
            refusal => AuditEvent.Failed(AuditActions.AuditView, refusal.Message), () => ReadAsync(query, ct), ct);

    private async Task<Result<AuditPage>> ReadAsync(AuditQuery query, CancellationToken ct)
    {
        if (Check(query) is { } refusal)
        {
            return refusal;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entries = Filter(db.AuditEntries.AsNoTracking(), query);
        var count = await entries.CountAsync(ct);
        var rows = await Sort(entries, query.SortBy, query.Descending)
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .ToListAsync(ct);
        return new AuditPage(rows, count, query.Page, query.PageSize);
    }

    private static PortalError? Check(AuditQuery query)
    {
        if (query.Page < 1 || query.PageSize < 1 || query.PageSize > AuditQuery.MaxPageSize)
        {
            return PortalError.Validation($"page must be 1 or more and pagesize between 1 and {AuditQuery.MaxPageSize}.");
        }
        // Skip() takes an int: a page beyond that is a typo, not a request.
        if ((long)(query.Page - 1) * query.PageSize > int.MaxValue)
        {
            return PortalError.Validation($"page {query.Page} is beyond the end of any audit log.");
        }
        if (query.From is { } from && query.To is { } to && from >= to)
        {
            return PortalError.Validation("The start of the time range must be before its end.");
        }
        return null;
    }

    private static IQueryable<AuditEntry> Filter(IQueryable<AuditEntry> entries, AuditQuery query)
    {
        entries = entries.WhereMatches(e => e.UserName, query.UserName)
            .WhereMatches(e => e.Action, query.Action)
            .WhereMatches(e => e.Serial, query.Serial);
        if (query.ExcludeReads)
        {
            var reads = AuditActions.Reads.ToList();
            entries = entries.Where(e => !reads.Contains(e.Action));
        }
        if (query.Success is { } success)
        {
            entries = entries.Where(e => e.Success == success);
        }
        if (query.From is { } from)
        {
            var fromUtc = ToUtc(from);
            entries = entries.Where(e => e.Timestamp >= fromUtc);
        }
        if (query.To is { } to)
        {
            var toUtc = ToUtc(to);
            entries = entries.Where(e => e.Timestamp < toUtc);
        }
        return entries;
    }

    /// <summary>Sorts by the chosen column, then by id, so that pages are stable when many values are equal.</summary>
    private static IQueryable<AuditEntry> Sort(IQueryable<AuditEntry> entries, AuditSortField field, bool descending)
    {
        var ordered = field switch
        {
            AuditSortField.Timestamp => By(entries, e => e.Timestamp, descending),
            AuditSortField.UserName => By(entries, e => e.UserName, descending),
            AuditSortField.Action => By(entries, e => e.Action, descending),
            AuditSortField.Serial => By(entries, e => e.Serial, descending),
            AuditSortField.Success => By(entries, e => e.Success, descending),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
        };
        return descending ? ordered.ThenByDescending(e => e.Id) : ordered.ThenBy(e => e.Id);
    }

    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
