namespace CertTokenPortal.Core.Audit;

/// <summary>Which audit entries to list, in which order, and which page: the filters of the audit page and of <c>GET /audit/</c>.</summary>
public sealed record AuditQuery
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 1000;

    /// <summary>The acting user: exact, or with <c>*</c> as wildcard.</summary>
    public string? UserName { get; init; }
    /// <summary>One of <see cref="AuditActions"/>: exact, or with <c>*</c> as wildcard (e.g. <c>token.*</c>).</summary>
    public string? Action { get; init; }
    /// <summary>A token serial: exact, or with <c>*</c> as wildcard.</summary>
    public string? Serial { get; init; }
    /// <summary>Only successes (true) or only failures (false); null for both.</summary>
    public bool? Success { get; init; }
    /// <summary>Entries at or after this instant (UTC).</summary>
    public DateTime? From { get; init; }
    /// <summary>Entries before this instant (UTC); exclusive, so that "to midnight" means "up to the end of the day before".</summary>
    public DateTime? To { get; init; }

    /// <summary>Leaves out the entries of <see cref="AuditActions.Reads"/>, so that only changes and logins remain.</summary>
    public bool ExcludeReads { get; init; }

    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = DefaultPageSize;
    public AuditSortField SortBy { get; init; } = AuditSortField.Timestamp;
    /// <summary>Newest first unless asked otherwise: the log is read from the end.</summary>
    public bool Descending { get; init; } = true;
}

/// <summary>The columns audit entries can be sorted by.</summary>
public enum AuditSortField
{
    Timestamp,
    UserName,
    Action,
    Serial,
    Success,
}

/// <summary>One page of audit entries and the paging facts of privacyIDEA's answer.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, int Count, int Current, int PageSize)
{
    public int? Prev => Current > 1 ? Current - 1 : null;
    public int? Next => (long)Current * PageSize < Count ? Current + 1 : null;
}
