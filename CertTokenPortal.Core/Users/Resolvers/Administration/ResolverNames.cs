using System.Text.RegularExpressions;
using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Users.Resolvers.Administration;

internal static partial class ResolverNames
{
    public static PortalError? Check(string? name, string what) =>
        name is not null && Pattern().IsMatch(name) ? null : ResolverErrors.BadName(what);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex Pattern();
}
