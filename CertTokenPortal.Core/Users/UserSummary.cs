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

    /// <summary>The directory's display name, when the user comes from one.</summary>
    public string? DisplayName { get; init; }
}

/// <summary>What an admin enters to create an account.</summary>
public sealed record NewUser(string UserName, string Password, string? Email, string? Realm, string? Role);

/// <summary>A page of the user list, filtered by <see cref="UserQuery"/>.</summary>
public sealed record UserPage(IReadOnlyList<UserSummary> Users, int Total);

/// <summary>Which users to list: a search over name, email and realm, an optional role, and a page.</summary>
public sealed record UserQuery(string? Search = null, string? Role = null, string? Realm = null, int Page = 1, int PageSize = 50);
