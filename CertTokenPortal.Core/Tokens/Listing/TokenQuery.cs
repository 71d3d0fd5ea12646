namespace CertTokenPortal.Core.Tokens.Listing;

/// <summary>Which tokens to list, in which order, and which page: the filters of the API's <c>GET /token/</c> and of the grid.</summary>
public sealed record TokenQuery
{
    public const int DefaultPageSize = 15;
    /// <summary>
    /// privacyIDEA sets no limit on <c>pagesize</c>; one page is still one SQL query with LIMIT, so the bound is only
    /// that of a 32-bit page size.
    /// </summary>
    public const int MaxPageSize = int.MaxValue;

    /// <summary>A serial, or a comma-separated list of serials, each with <c>*</c> as wildcard.</summary>
    public string? Serial { get; init; }
    public string? UserName { get; init; }
    public string? Realm { get; init; }
    /// <summary>A token type with <c>*</c> wildcards; only "certificate" tokens exist here, so any other type lists nothing.</summary>
    public string? Type { get; init; }
    /// <summary>privacyIDEA's <c>type_list</c>: token types of which any may match (no wildcards).</summary>
    public IReadOnlyList<string>? TypeList { get; init; }
    /// <summary>The description, with <c>*</c> as wildcard.</summary>
    public string? Description { get; init; }
    /// <summary>privacyIDEA's <c>tokenrealm</c>: the realm the token belongs to, comma list with <c>*</c> wildcards.</summary>
    public string? TokenRealm { get; init; }
    /// <summary>The id of the owner's account (privacyIDEA's <c>userid</c>), with <c>*</c> as wildcard.</summary>
    public string? UserId { get; init; }
    /// <summary>True: only tokens with an owner; false: only tokens without one.</summary>
    public bool? Assigned { get; init; }
    /// <summary>privacyIDEA's <c>infokey</c>/<c>infovalue</c>: one token-info key (see <see cref="TokenInfoKeys"/>) and its value with <c>*</c> wildcards.</summary>
    public string? InfoKey { get; init; }
    public string? InfoValue { get; init; }
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

    /// <summary>
    /// Put the stored PKCS#12 into each token the caller may download (privacyIDEA's <c>info.pkcs12</c>); the API asks
    /// for it, the pages do not (they offer a download button).
    /// </summary>
    public bool IncludePkcs12 { get; init; }

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
