using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Users.Resolvers;

/// <summary>
/// A source of users (a directory). A resolver looks users up and checks their passwords; it never writes the
/// portal's database: the portal records what it answers (shadow accounts, token owners). An unreachable or slow
/// directory answers <see cref="ResolverErrors.Unavailable"/> within the resolver's time-out, never a hang.
/// </summary>
public interface IUserResolver
{
    /// <summary>The resolver's configured name.</summary>
    string Name { get; }

    /// <summary>The user whose login name is <paramref name="loginName"/>, or null when there is none.</summary>
    Task<Result<DirectoryUser?>> FindByLoginNameAsync(string loginName, CancellationToken ct);

    /// <summary>The user with the stable id <paramref name="id"/>, or null when they are gone (removed or filtered out).</summary>
    Task<Result<DirectoryUser?>> FindByIdAsync(string id, CancellationToken ct);

    /// <summary>Page <paramref name="page"/> (1-based) of the users whose login name, display name or email contains <paramref name="term"/>.</summary>
    Task<Result<DirectoryUserPage>> SearchAsync(string? term, int page, int pageSize, CancellationToken ct);

    /// <summary>Whether <paramref name="password"/> is the user's password (checked by the directory itself, e.g. an LDAP bind).</summary>
    Task<Result<bool>> CheckPasswordAsync(DirectoryUser user, string password, CancellationToken ct);

    /// <summary>The portal role the user's group memberships give, by the resolver's settings.</summary>
    Task<Result<string>> RoleOfAsync(DirectoryUser user, CancellationToken ct);

    /// <summary>Connects, binds and counts users: a sentence for the admin saying what was found.</summary>
    Task<Result<string>> TestAsync(CancellationToken ct);
}
