using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Users.Resolvers;

/// <summary>The named failures of resolvers and realms.</summary>
public static class ResolverErrors
{
    public static PortalError ManageForbidden { get; } = PortalError.Forbidden("Only admins may change resolvers and realms.");
    public static PortalError ViewForbidden { get; } = PortalError.Forbidden("Only admins and helpdesk staff may see resolvers, realms and directory users.");
    public static PortalError BadName(string what) => PortalError.Validation($"A {what} name needs 1 to 64 characters: letters, digits, '.', '_' or '-'.");
    public static PortalError UnknownType(string? type) => PortalError.Validation($"'{type}' is not a resolver type; use ldapresolver.");
    public static PortalError ResolverNotFound(string name) => PortalError.NotFound($"There is no resolver '{name}'.");
    public static PortalError RealmNotFound(string name) => PortalError.NotFound($"There is no realm '{name}'.");
    public static PortalError ResolverInUse(string name, IEnumerable<string> realms) =>
        PortalError.Conflict($"The resolver '{name}' is used by the realm(s) {string.Join(", ", realms.Select(r => $"'{r}'"))}; remove it from them first.");
    public static PortalError BuiltIn { get; } = PortalError.Conflict("The resolver 'local' is the portal's own accounts; it cannot be changed or deleted.");
    public static PortalError DefaultRealmInUse(string name) => PortalError.Conflict($"The realm '{name}' is the default realm; make another realm the default first.");

    /// <summary>The directory did not answer in time or refused the connection; the message says which and where.</summary>
    public static PortalError Unavailable(string resolver, string detail) =>
        new(ErrorKind.Unavailable, $"The directory of resolver '{resolver}' cannot be reached: {detail}");
    public static PortalError SizeLimit(string resolver, int limit) =>
        PortalError.Validation($"The directory of resolver '{resolver}' has more than {limit} matches; narrow the search.");
}
