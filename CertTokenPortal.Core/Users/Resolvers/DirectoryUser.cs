namespace CertTokenPortal.Core.Users.Resolvers;

/// <summary>
/// A user as a resolver found them. <see cref="Id"/> is the resolver's stable id (DN, entryUUID or objectGUID as
/// configured), which survives a rename when it is not the DN; the rest is what the attribute mapping read.
/// </summary>
public sealed record DirectoryUser(
    string Id,
    string UserName,
    string? GivenName = null,
    string? Surname = null,
    string? DisplayName = null,
    string? Email = null,
    string? Phone = null,
    string? DistinguishedName = null);

/// <summary>One page of a directory search, and whether the directory holds more matches.</summary>
public sealed record DirectoryUserPage(IReadOnlyList<DirectoryUser> Users, bool HasMore);
