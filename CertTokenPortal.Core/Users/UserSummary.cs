namespace CertTokenPortal.Core.Users;

/// <summary>A portal account as lists and the API show it (never with secrets).</summary>
public sealed record UserSummary(
    string Id,
    string UserName,
    string? Email,
    string Realm,
    string Role,
    bool LockedOut,
    DateTimeOffset? LockoutEnd,
    int FailedLogins,
    DateTime CreatedAt)
{
    /// <summary>Where the user comes from: <c>local</c> (a portal account) or the name of their directory's resolver.</summary>
    public string Source { get; init; } = Resolvers.ResolverKinds.LocalResolverName;

    /// <summary>The display name (set by an admin, or the directory's).</summary>
    public string? DisplayName { get; init; }

    public string? GivenName { get; init; }

    public string? Surname { get; init; }

    /// <summary>The name to show beside the user name: the display name, else given name and surname.</summary>
    public string? ShownName => PersonNames.Effective(DisplayName, GivenName, Surname);
}

/// <summary>What an admin enters to create an account.</summary>
public sealed record NewUser(string UserName, string Password, string? Email, string? Realm, string? Role)
{
    /// <summary>Given name, surname and display name; none required.</summary>
    public PersonNames Names { get; init; } = PersonNames.None;
}

/// <summary>A page of the user list, filtered by <see cref="UserQuery"/>.</summary>
public sealed record UserPage(IReadOnlyList<UserSummary> Users, int Total);

/// <summary>Which users to list: a search over name, email and realm, an optional role, and a page.</summary>
public sealed record UserQuery(string? Search = null, string? Role = null, string? Realm = null, int Page = 1, int PageSize = 50);
