namespace CertTokenPortal.Core.Tokens.Listing;

/// <summary>Which tokens to list, in which order, and which page: the filters of the API's <c>GET /token/</c> and of the grid.</summary>
public sealed record TokenQuery
{
    public const int DefaultPageSize = 15;
    public const int MaxPageSize = 1000;

    /// <summary>A serial, with <c>*</c> as wildcard.</summary>
    public string? Serial { get; init; }
    public string? UserName { get; init; }
    public string? Realm { get; init; }
    /// <summary>Only "certificate" tokens exist here; any other type lists nothing.</summary>
    public string? Type { get; init; }
    public RolloutState? RolloutState { get; init; }
    public bool? Active { get; init; }
    public bool? Revoked { get; init; }
    /// <summary>Part of the subject (case-insensitive).</summary>
    public string? Subject { get; init; }
    public string? CaName { get; init; }
    public string? TemplateName { get; init; }
    public DateTime? NotAfterFrom { get; init; }
    public DateTime? NotAfterTo { get; init; }
    /// <summary>
    /// Only certificates in use (enrolled, active, not revoked, not yet expired) that expire within this many days;
    /// the API's <c>expires_within</c>, the grid's expiry filter and the dashboard's expiry cards.
    /// </summary>
    public int? ExpiresWithinDays { get; init; }
    public const int MaxExpiresWithinDays = 3650;
    /// <summary>A quick search over serial, owner, subject and description.</summary>
    public string? Search { get; init; }

    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = DefaultPageSize;
    public TokenSortField SortBy { get; init; } = TokenSortField.Serial;
    public bool Descending { get; init; }
}

/// <summary>The columns tokens can be sorted by.</summary>
public enum TokenSortField
{
    Serial,
    UserName,
    Realm,
    Description,
    RolloutState,
    Subject,
    CaName,
    TemplateName,
    NotBefore,
    NotAfter,
    CreatedAt,
    Active,
    Revoked,
}

/// <summary>One page of tokens with the paging facts of privacyIDEA's answer.</summary>
public sealed record TokenPage(IReadOnlyList<TokenView> Tokens, int Count, int Current, int PageSize)
{
    public int? Prev => Current > 1 ? Current - 1 : null;
    public int? Next => (long)Current * PageSize < Count ? Current + 1 : null;
}
