using System.Globalization;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Users.Resolvers;
using CertTokenPortal.Core.Users.Resolvers.Administration;

namespace CertTokenPortal.Api;

/// <summary><c>/realm/</c> and <c>/defaultrealm</c>: realms as ordered lists of resolvers, in privacyIDEA's names.</summary>
public static class RealmApi
{
    private const string PriorityPrefix = "priority.";

    public static IEndpointRouteBuilder MapRealmApi(this IEndpointRouteBuilder api)
    {
        var realm = api.MapGroup("/realm").WithTags("Resolvers and realms");
        realm.MapGet("/", ListAsync).WithSummary("List realms with their resolvers in order (admin, helpdesk).");
        realm.MapPost("/{name}", SaveAsync).WithSummary("Create or change a realm (admin): resolvers (comma list, 'local' = the portal's own accounts), priority.<resolver> (lower is asked first).");
        realm.MapDelete("/{name}", DeleteAsync).WithSummary("Delete a realm (admin); not the default while others exist.");
        api.MapGet("/defaultrealm", DefaultAsync).WithTags("Resolvers and realms").WithSummary("The default realm (admin, helpdesk).");
        api.MapPost("/defaultrealm/{name}", SetDefaultAsync).WithTags("Resolvers and realms").WithSummary("Make a realm the default (admin).");
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ListRealmsQuery list) =>
        ApiResults.From(await list.ExecuteAsync(http.Actor(), http.RequestAborted), all => all.ToDictionary(r => r.Name, Json));

    private static async Task<IResult> DefaultAsync(HttpContext http, ListRealmsQuery list) =>
        ApiResults.From(await list.ExecuteAsync(http.Actor(), http.RequestAborted),
            all => all.Where(r => r.IsDefault).ToDictionary(r => r.Name, Json));

    private static async Task<IResult> SaveAsync(HttpContext http, SaveRealmCommand save, string name)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        var priorities = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in p.Names.Where(k => k.StartsWith(PriorityPrefix, StringComparison.Ordinal)))
        {
            if (!int.TryParse(p[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var priority) || priority is < 0 or > 999)
            {
                return ApiResults.Fail(PortalError.Validation($"{key} '{p[key]}' must be a whole number from 0 to 999."));
            }
            priorities[key[PriorityPrefix.Length..]] = priority;
        }
        var resolvers = (p["resolvers"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return ApiResults.From(await save.ExecuteAsync(http.Actor(), new RealmRequest(name, resolvers, priorities), http.RequestAborted), Json);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, DeleteRealmCommand delete, string name) =>
        ApiResults.From(await delete.ExecuteAsync(http.Actor(), name, http.RequestAborted), true);

    private static async Task<IResult> SetDefaultAsync(HttpContext http, SetDefaultRealmCommand set, string name) =>
        ApiResults.From(await set.ExecuteAsync(http.Actor(), name, http.RequestAborted), Json);

    private static Dictionary<string, object?> Json(RealmView r) => new()
    {
        ["default"] = r.IsDefault,
        ["resolver"] = r.Resolvers.Select(m => new Dictionary<string, object?>
        {
            ["name"] = m.Name, ["priority"] = m.Priority, ["type"] = m.Name == ResolverKinds.LocalResolverName ? ResolverKinds.Local : ResolverKinds.Ldap,
        }).ToList(),
    };
}
