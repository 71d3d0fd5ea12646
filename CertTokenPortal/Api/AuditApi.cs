using System.Globalization;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Api;

/// <summary>
/// <c>GET /audit/</c>: the audit log for admins and helpdesk staff, filtered and paged like privacyIDEA's: <c>user</c>,
/// <c>action</c>, <c>serial</c> (each exact or with <c>*</c>), <c>success</c>, <c>from</c>/<c>to</c> (ISO 8601),
/// <c>page</c>, <c>pagesize</c>, <c>sortby</c>, <c>sortdir</c>.
/// </summary>
public static class AuditApi
{
    private static readonly Dictionary<string, AuditSortField> SortNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["date"] = AuditSortField.Timestamp,
        ["user"] = AuditSortField.UserName,
        ["action"] = AuditSortField.Action,
        ["serial"] = AuditSortField.Serial,
        ["success"] = AuditSortField.Success,
    };

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder api)
    {
        api.MapGroup("/audit").WithTags("Audit").MapGet("/", ListAsync).WithSummary(
            "Read the audit log, newest first: user, action, serial (* wildcards), success (1/0), from, to (ISO 8601; a date alone for 'to' includes that day), page, pagesize, sortby (date, user, action, serial, success), sortdir.");
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, AuditLogQuery audit)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        if (!Read(p).TryGetValue(out var query, out var queryError))
        {
            return ApiResults.Fail(queryError);
        }
        var result = await audit.ExecuteAsync(http.Actor(), query, http.RequestAborted);
        return ApiResults.From(result, page => new Dictionary<string, object?>
        {
            ["auditdata"] = page.Entries.Select(Json).ToList(),
            ["count"] = page.Count,
            ["current"] = page.Current,
            ["prev"] = page.Prev,
            ["next"] = page.Next,
        });
    }

    private static Result<AuditQuery> Read(ApiParameters p)
    {
        if (!p.TryInt("page", 1, out var page))
        {
            return PortalError.Validation($"page '{p["page"]}' is not a page number (1, 2, ...).");
        }
        if (!p.TryInt("pagesize", AuditQuery.DefaultPageSize, out var pageSize))
        {
            return PortalError.Validation($"pagesize '{p["pagesize"]}' must be a number from 1 to {AuditQuery.MaxPageSize}.");
        }
        var sortBy = AuditSortField.Timestamp;
        if (!string.IsNullOrWhiteSpace(p["sortby"]) && !SortNames.TryGetValue(p["sortby"]!.Trim(), out sortBy))
        {
            return PortalError.Validation($"sortby '{p["sortby"]}' is not a column; use one of: {string.Join(", ", SortNames.Keys)}.");
        }
        if (!p.SortDescending(byDefault: true).TryGetValue(out var descending, out var sortDirError))
        {
            return sortDirError;
        }
        var successText = p["success"]?.Trim().ToLowerInvariant();
        bool? success = successText is "1" or "true" ? true : successText is "0" or "false" ? false : null;
        if (success is null && !string.IsNullOrEmpty(successText))
        {
            return PortalError.Validation($"success '{p["success"]}' must be 1 (successes) or 0 (failures).");
        }
        if (!TryInstant(p, "from", endOfDay: false, out var from, out var fromError))
        {
            return fromError!;
        }
        if (!TryInstant(p, "to", endOfDay: true, out var to, out var toError))
        {
            return toError!;
        }

        return new AuditQuery
        {
            UserName = p["user"],
            Action = p["action"],
            Serial = p["serial"],
            Success = success,
            From = from,
            To = to,
            Page = page,
            PageSize = pageSize,
            SortBy = sortBy,
            Descending = descending,
        };
    }

    /// <summary>
    /// An ISO 8601 instant (UTC unless it names an offset). A bare date for the end of the range means "through that
    /// day", which is what a person writing <c>to=2031-03-01</c> expects.
    /// </summary>
    private static bool TryInstant(ApiParameters p, string name, bool endOfDay, out DateTime? value, out PortalError? error)
    {
        value = null;
        error = null;
        var text = p[name]?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            value = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddDays(endOfDay ? 1 : 0);
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) && text.Contains('T'))
        {
            value = instant.UtcDateTime;
            return true;
        }
        error = PortalError.Validation($"{name} '{text}' is not an ISO 8601 date or time, e.g. 2031-03-01 or 2031-03-01T10:00:00Z.");
        return false;
    }


    private static Dictionary<string, object?> Json(AuditEntry e) => new()
    {
        ["number"] = e.Id,
        ["date"] = TokenJson.Iso(e.Timestamp),
        ["user"] = e.UserName,
        ["realm"] = e.Realm,
        ["role"] = e.Role,
        ["client"] = e.ClientAddress,
        ["action"] = e.Action,
        ["serial"] = e.Serial,
        ["target_user"] = e.TargetUser,
        ["ca"] = e.CaName,
        ["success"] = e.Success,
        ["info"] = e.Message,
    };
}
