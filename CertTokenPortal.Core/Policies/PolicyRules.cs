using System.Text.RegularExpressions;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;

namespace CertTokenPortal.Core.Policies;

/// <summary>The rules for a policy's name, scope, roles, realms and priority, each refusal with its own message.</summary>
internal static partial class PolicyRules
{
    public const int MaxPriority = 1_000_000;

    public static PortalError? CheckName(string? name) =>
        name is not null && SafeName().IsMatch(name)
            ? null
            : PortalError.Validation("A policy name needs 1 to 64 characters: letters, digits, '.', '_' or '-'.").About("name");

    public static Result<string> ReadScope(string? scope)
    {
        var value = string.IsNullOrWhiteSpace(scope) ? PolicyScopes.Enrollment : scope.Trim().ToLowerInvariant();
        return PolicyScopes.All.Contains(value)
            ? value
            : PortalError.Validation($"scope '{scope}' is not known; policies here are of the scope {string.Join(", ", PolicyScopes.All)}.").About("scope");
    }

    public static Result<string> ReadRoles(string? roles)
    {
        var list = PolicyLists.Split(roles).Select(r => r.ToLowerInvariant()).ToList();
        var unknown = list.FirstOrDefault(r => !PortalRoles.IsKnown(r));
        return unknown is null
            ? string.Join(",", list)
            : PortalError.Validation($"role '{unknown}' is not known; use {string.Join(", ", PortalRoles.All)} (or none for every role).").About("roles");
    }

    public static Result<string> ReadRealms(string? realms)
    {
        var list = PolicyLists.Split(realms);
        var bad = list.FirstOrDefault(r => !SafeName().IsMatch(r));
        return bad is null
            ? string.Join(",", list)
            : PortalError.Validation($"realm '{bad}' is not a realm name (letters, digits, '.', '_', '-').").About("realms");
    }

    public static PortalError? CheckPriority(int priority) =>
        priority is >= 1 and <= MaxPriority
            ? null
            : PortalError.Validation($"priority must be between 1 and {MaxPriority} (lower wins), not {priority}.").About("priority");

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SafeName();
}
