using System.Net;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>Connects a test portal to the test OpenLDAP: a resolver and a realm made through the API, as an admin would.</summary>
public static class DirectoryScenario
{
    public const string Realm = "corp";
    public const string Resolver = "corp-ldap";

    public static async Task ConnectAsync(ApiClient admin, OpenLdapServer ldap, string realm = Realm, string resolver = Resolver,
        string? uri = null, params (string Name, string Value)[] overrides)
    {
        var saved = await admin.PostFormAsync($"/resolver/{resolver}", ldap.ResolverParameters(uri, overrides));
        Assert.True(saved.Status == HttpStatusCode.OK, saved.ToString());
        var realmSaved = await admin.PostFormAsync($"/realm/{realm}", ("resolvers", resolver));
        Assert.True(realmSaved.Status == HttpStatusCode.OK, realmSaved.ToString());
    }

    public static Task<ApiAnswer> AuthAsync(PortalFactory portal, string userName, string password, string? realm = null) =>
        realm is null
            ? ApiClient.Anonymous(portal).PostFormAsync("/auth", ("username", userName), ("password", password))
            : ApiClient.Anonymous(portal).PostFormAsync("/auth", ("username", userName), ("password", password), ("realm", realm));

    public static ApiClient Session(PortalFactory portal, ApiAnswer auth) =>
        new(portal.CreateNonRedirectingClient(), auth.Value.GetProperty("token").GetString());
}
