using System.Net;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users.DirectoryUsers;
using CertTokenPortal.Core.Users.Resolvers.Administration;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>The same resolver and realm made through Core's use cases, for tests without HTTP (component tests).</summary>
    public static async Task ConnectAsync(CoreServices core, OpenLdapServer ldap)
    {
        var parameters = ldap.ResolverParameters().ToDictionary(p => p.Name, p => (string?)p.Value);
        var resolver = await core.InScopeAsync(sp => sp.GetRequiredService<SaveResolverCommand>()
            .ExecuteAsync(TestPki.Admin, new ResolverRequest(Resolver, parameters["type"], parameters)));
        Assert.True(resolver.IsSuccess, resolver.Error?.Message);
        var realm = await core.InScopeAsync(sp => sp.GetRequiredService<SaveRealmCommand>()
            .ExecuteAsync(TestPki.Admin, new RealmRequest(Realm, [Resolver], new Dictionary<string, int>())));
        Assert.True(realm.IsSuccess, realm.Error?.Message);
    }

    /// <summary>Records the shadow account of directory user <paramref name="userName"/>, as their first login or an enrolment for them does.</summary>
    public static async Task<Result<PortalUser?>> RecordAsync(IServiceProvider services, string userName) =>
        await services.GetRequiredService<DirectoryOwners>().FindAsync(userName, Realm, CancellationToken.None);

    public static Task<ApiAnswer> AuthAsync(PortalFactory portal, string userName, string password, string? realm = null) =>
        realm is null
            ? ApiClient.Anonymous(portal).PostFormAsync("/auth", ("username", userName), ("password", password))
            : ApiClient.Anonymous(portal).PostFormAsync("/auth", ("username", userName), ("password", password), ("realm", realm));

    public static ApiClient Session(PortalFactory portal, ApiAnswer auth) =>
        new(portal.CreateNonRedirectingClient(), auth.Value.GetProperty("token").GetString());
}

