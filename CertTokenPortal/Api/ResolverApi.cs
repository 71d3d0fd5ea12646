using CertTokenPortal.Core.Users.Resolvers.Administration;
using CertTokenPortal.Core.Users.Resolvers.Ldap;

namespace CertTokenPortal.Api;

/// <summary>
/// <c>/resolver/</c>: user resolvers in privacyIDEA's names (admin changes, admin and helpdesk list). The bind
/// password (BINDPW) is accepted, encrypted at rest, and never returned.
/// </summary>
public static class ResolverApi
{
    private const string Fields = "type (ldapresolver), LDAPURI (ldap:// or ldaps://), LDAPBASE, BINDDN, BINDPW, LOGINNAMEATTRIBUTE (default uid), " +
        "LDAPSEARCHFILTER (default (objectClass=inetOrgPerson)), USERINFO (JSON: username, givenname, surname, displayname, email, phone to LDAP attributes), " +
        "UIDTYPE (DN, entryUUID, objectGUID), START_TLS (0/1), TLS_VERIFY (1), TLS_CA_FILE (PEM path on the server), TIMEOUT (s, default 5), " +
        "SIZELIMIT (default 500), CACHE_TIMEOUT (s, default 120), ROLE_GROUPS (JSON: admin/helpdesk to group DN)";

    public static IEndpointRouteBuilder MapResolverApi(this IEndpointRouteBuilder api)
    {
        var resolver = api.MapGroup("/resolver").WithTags("Resolvers and realms");
        resolver.MapGet("/", ListAsync).WithSummary("List user resolvers (admin, helpdesk); never the bind password.");
        resolver.MapPost("/test", TestAsync).WithSummary("Try resolver settings without saving them (admin): answers what was found, e.g. 'bind OK, 3 users under ou=people', or the directory's error. " + Fields);
        resolver.MapGet("/{name}", GetAsync).WithSummary("One resolver (admin, helpdesk).");
        resolver.MapPost("/{name}", SaveAsync).WithSummary("Create or change a resolver (admin): " + Fields + ". Without BINDPW the stored one is kept.");
        resolver.MapDelete("/{name}", DeleteAsync).WithSummary("Delete a resolver that no realm uses (admin).");
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ListResolversQuery list) =>
        ApiResults.From(await list.ExecuteAsync(http.Actor(), null, http.RequestAborted), all => all.ToDictionary(r => r.Name, Json));

    private static async Task<IResult> GetAsync(HttpContext http, ListResolversQuery list, string name) =>
        ApiResults.From(await list.ExecuteAsync(http.Actor(), name, http.RequestAborted), all => all.ToDictionary(r => r.Name, Json));

    private static async Task<IResult> SaveAsync(HttpContext http, SaveResolverCommand save, string name)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        return ApiResults.From(await save.ExecuteAsync(http.Actor(), Request(name, p), http.RequestAborted), Json);
    }

    private static async Task<IResult> TestAsync(HttpContext http, TestResolverQuery test)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        var result = await test.ExecuteAsync(http.Actor(), Request(p["resolver"] ?? p["name"] ?? "", p), http.RequestAborted);
        return ApiResults.From(result, found => new Dictionary<string, object?> { ["result"] = true, ["description"] = found });
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, DeleteResolverCommand delete, string name) =>
        ApiResults.From(await delete.ExecuteAsync(http.Actor(), name, http.RequestAborted), true);

    private static ResolverRequest Request(string name, ApiParameters p) =>
        new(name, p["type"], LdapResolverSettings.ParameterNames.ToDictionary(n => n, n => p[n]));

    private static Dictionary<string, object?> Json(ResolverView r) => new()
    {
        ["resolvername"] = r.Name,
        ["type"] = r.Type,
        ["data"] = r.Settings,
        ["bindpw_set"] = r.HasBindPassword,
    };
}
