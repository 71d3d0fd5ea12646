using CertTokenPortal.Core.Users;
using CertTokenPortal.Core.Users.Resolvers;

namespace CertTokenPortal.Api;

/// <summary><c>/user/</c>: list accounts (admin, helpdesk) and create one (admin). The same accounts as the browser login.</summary>
public static class UserApi
{
    public static IEndpointRouteBuilder MapUserApi(this IEndpointRouteBuilder api)
    {
        var user = api.MapGroup("/user").WithTags("Users");
        user.MapGet("/", ListAsync).WithSummary(
            "List users: username (part of the name, * allowed), realm, role, page, pagesize. For a configured realm the users come from its " +
            "resolvers (directories), as privacyIDEA lists them: username, userid, resolver, givenname, surname, displayname, email, phone; detail.more tells whether a next page exists. " +
            "Otherwise the portal accounts: username, userid, resolver (local or the directory's), givenname, surname, displayname, email, realm, role, locked, created.");
        user.MapPost("/", CreateAsync).WithSummary("Create a user: username, password, email, realm, role, givenname, surname, displayname (privacyIDEA's names).");
        user.MapPut("/", SetDetailsAsync).WithSummary(
            "Change a portal account's details (admin): user (or username), and any of givenname, surname, displayname, email; an absent one is kept, " +
            "an empty one cleared. A directory user's details are the directory's (409).");
        user.MapDelete("/{username}", DeleteAsync)
            .RequirePermission(Core.Identity.Permission.ManageUsers, Core.Audit.AuditActions.UserDelete)
            .WithSummary("Delete a user (admin). Their tokens keep their history; their sessions and API tokens end within seconds.");
        api.MapPost("/auth/password", ChangeOwnPasswordAsync).WithTags("Authentication").WithSummary(
            "Change your own password: password (the current one), new_password. Ends every session and API token of the account, this one included.");
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, ListUsersQuery users, RealmResolvers realms, ListRealmUsersQuery realmUsers)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        if (!string.IsNullOrWhiteSpace(p["realm"]) && await realms.IsConfiguredAsync(p["realm"]!.Trim(), http.RequestAborted))
        {
            if (!p.TryInt("page", 1, out var realmPage) || !p.TryInt("pagesize", 50, out var realmPageSize) || realmPage < 1 || realmPageSize is < 1 or > 1000)
            {
                return ApiResults.Fail(Core.Common.PortalError.Validation("page must be 1 or more and pagesize 1 to 1000."));
            }
            var found = await realmUsers.ExecuteAsync(http.Actor(), p["realm"], p["username"]?.Replace("*", ""), realmPage, realmPageSize, http.RequestAborted);
            return ApiResults.From(found, r => r.Users.Select(RealmJson).ToList(),
                r => new Dictionary<string, object?> { ["count"] = r.Users.Count, ["more"] = r.HasMore, ["page"] = realmPage });
        }
        var query = new UserQuery(
            Search: p["username"]?.Replace("*", ""),
            Role: p["role"],
            Realm: p["realm"],
            Page: int.TryParse(p["page"], out var page) ? page : 1,
            PageSize: int.TryParse(p["pagesize"], out var size) ? size : 1000);
        var result = await users.ExecuteAsync(http.Actor(), query, http.RequestAborted);
        return ApiResults.From(result, r => r.Users.Select(Json).ToList(), r => new Dictionary<string, object?> { ["count"] = r.Total });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, CreateUserCommand users)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        var request = new NewUser(p["username"] ?? p["user"] ?? "", p["password"] ?? "", p["email"], p["realm"], p["role"])
        {
            Names = new PersonNames(p["givenname"], p["surname"], p["displayname"]),
        };
        return ApiResults.From(await users.ExecuteAsync(http.Actor(), request, http.RequestAborted), Json);
    }

    private static async Task<IResult> SetDetailsAsync(HttpContext http, SetUserDetailsCommand details)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        var request = new UserDetails(p["givenname"], p["surname"], p["displayname"], p["email"]);
        return ApiResults.From(await details.ExecuteAsync(http.Actor(), p["user"] ?? p["username"] ?? "", request, http.RequestAborted), Json);
    }

    private static Dictionary<string, object?> RealmJson(RealmUser u) => new()
    {
        ["username"] = u.User.UserName,
        ["userid"] = u.User.Id,
        ["resolver"] = u.Resolver,
        ["realm"] = u.Realm,
        ["givenname"] = u.User.GivenName,
        ["surname"] = u.User.Surname,
        ["displayname"] = u.User.DisplayName,
        ["email"] = u.User.Email,
        ["phone"] = u.User.Phone,
    };

    private static async Task<IResult> DeleteAsync(HttpContext http, DeleteUserCommand delete, string username) =>
        ApiResults.From(await delete.ExecuteAsync(http.Actor(), username, http.RequestAborted), true);

    private static async Task<IResult> ChangeOwnPasswordAsync(HttpContext http, ChangeOwnPasswordCommand change)
    {
        if (!(await ApiParameters.ReadAsync(http.Request, http.RequestAborted)).TryGetValue(out var p, out var error))
        {
            return ApiResults.Fail(error);
        }
        var request = new OwnPasswordChange(p["password"], p["new_password"]);
        return ApiResults.From(await change.ExecuteAsync(http.Actor(), request, http.RequestAborted), true);
    }

    private static Dictionary<string, object?> Json(UserSummary u) => new()
    {
        ["username"] = u.UserName,
        ["userid"] = u.Id,
        ["resolver"] = u.Source,
        ["givenname"] = u.GivenName,
        ["surname"] = u.Surname,
        ["displayname"] = u.DisplayName,
        ["email"] = u.Email,
        ["realm"] = u.Realm,
        ["role"] = u.Role,
        ["locked"] = u.LockedOut,
        ["created"] = TokenJson.Iso(u.CreatedAt),
    };
}
