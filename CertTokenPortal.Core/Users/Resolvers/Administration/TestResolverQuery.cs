using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users.Resolvers.Ldap;

namespace CertTokenPortal.Core.Users.Resolvers.Administration;

/// <summary>
/// Tries resolver settings without saving them (<c>POST /resolver/test</c>, the "Test connection" button): binds and
/// counts users, and says what it found or the directory's exact error. Without BINDPW the stored password of a
/// resolver of that name is used, so an admin can test an existing resolver without retyping it.
/// </summary>
public sealed class TestResolverQuery(UserResolverRegistry registry)
{
    public async Task<Result<string>> ExecuteAsync(Actor actor, ResolverRequest request, CancellationToken ct = default)
    {
        if (!actor.Allows(Permission.ManageUsers))
        {
            return ResolverErrors.ManageForbidden;
        }
        if (!string.Equals(request.Type?.Trim(), ResolverKinds.Ldap, StringComparison.OrdinalIgnoreCase))
        {
            return ResolverErrors.UnknownType(request.Type);
        }
        if (!LdapResolverSettings.Parse(request.Parameters).TryGetValue(out var settings, out var invalid))
        {
            return invalid;
        }
        request.Parameters.TryGetValue("BINDPW", out var password);
        if (string.IsNullOrEmpty(password) && !string.IsNullOrEmpty(request.Name))
        {
            password = await registry.StoredBindPasswordAsync(request.Name, ct);
        }
        using var resolver = (IDisposable)registry.BuildUnsaved(string.IsNullOrEmpty(request.Name) ? "test" : request.Name, settings, password);
        return await ((IUserResolver)resolver).TestAsync(ct);
    }
}
