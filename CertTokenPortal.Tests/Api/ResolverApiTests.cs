using System.Net;
using System.Text;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>/resolver, /realm and /defaultrealm in privacyIDEA's names, against a real slapd (LDAP and LDAPS).</summary>
[Trait("Category", "ExternalTool")]
[Collection(OpenLdapCollection.Name)]
public sealed class ResolverApiTests(OpenLdapServer ldap, PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private ApiClient _admin = null!;

    public async Task InitializeAsync() => _admin = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PostResolver_Ldap_SavesSettingsWithBindPasswordEncryptedAndNeverReturned()
    {
        var saved = await _admin.PostFormAsync("/resolver/stored", ldap.ResolverParameters());
        var listed = await _admin.GetAsync("/resolver/");

        Assert.True(saved.Status == HttpStatusCode.OK, saved.ToString());
        Assert.DoesNotContain(OpenLdapServer.ServicePassword, saved.Body);
        Assert.DoesNotContain(OpenLdapServer.ServicePassword, listed.Body);
        var data = listed.Value.GetProperty("stored").GetProperty("data");
        Assert.Equal(ldap.Uri, data.GetProperty("LDAPURI").GetString());
        Assert.Equal("entryUUID", data.GetProperty("UIDTYPE").GetString());
        Assert.False(data.TryGetProperty("BINDPW", out _));
        Assert.True(listed.Value.GetProperty("stored").GetProperty("bindpw_set").GetBoolean());
        Assert.Equal("local", listed.Value.GetProperty("local").GetProperty("type").GetString());
        await using var db = portal.NewDb();
        var record = await db.Resolvers.SingleAsync(r => r.Name == "stored");
        Assert.DoesNotContain(OpenLdapServer.ServicePassword, record.SettingsJson);
        Assert.DoesNotContain(OpenLdapServer.ServicePassword, Encoding.UTF8.GetString(record.EncryptedBindPassword!));
    }

    [Fact]
    public async Task PostResolverTest_RightSettings_ReportsBindAndUserCount()
    {
        var answer = await _admin.PostFormAsync("/resolver/test", ldap.ResolverParameters());

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        // 3 named users plus the 1,000 generated ones, and any a test added meanwhile.
        Assert.Matches(@"^bind OK \(LDAP, cn=portal,ou=services,dc=example,dc=org\), \d{4} users under ou=people,dc=example,dc=org$",
            answer.Value.GetProperty("description").GetString());
        await using var db = portal.NewDb();
        Assert.False(await db.Resolvers.AnyAsync(r => r.Name == "test"));
    }

    [Fact]
    public async Task PostResolverTest_WrongBindPassword_SaysSo()
    {
        var answer = await _admin.PostFormAsync("/resolver/test", ldap.ResolverParameters(null, ("BINDPW", "wrong")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.Contains("bind DN or password (BINDPW) is wrong", answer.ErrorMessage);
    }

    [Fact]
    public async Task PostResolverTest_LdapsWithTheDirectorysCa_BindsOverTls()
    {
        var answer = await _admin.PostFormAsync("/resolver/test", ldap.ResolverParameters(ldap.TlsUri, ("TLS_CA_FILE", ldap.CaFile)));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.StartsWith("bind OK (LDAPS,", answer.Value.GetProperty("description").GetString());
    }

    [Fact]
    public async Task PostResolverTest_StartTlsWithTheDirectorysCa_BindsOverTls()
    {
        var answer = await _admin.PostFormAsync("/resolver/test", ldap.ResolverParameters(null, ("START_TLS", "1"), ("TLS_CA_FILE", ldap.CaFile)));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.StartsWith("bind OK (StartTLS,", answer.Value.GetProperty("description").GetString());
    }

    [Fact]
    public async Task PostResolverTest_LdapsWithAnotherCa_FailsWithATlsError()
    {
        var answer = await _admin.PostFormAsync("/resolver/test", ldap.ResolverParameters(ldap.TlsUri, ("TLS_CA_FILE", ldap.OtherCaFile)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.Contains(ldap.TlsUri, answer.ErrorMessage);
    }

    [Theory]
    [InlineData("LDAPURI", "http://example.org", "LDAPURI")]
    [InlineData("LDAPBASE", "", "LDAPBASE")]
    [InlineData("UIDTYPE", "uidNumber", "UIDTYPE")]
    [InlineData("USERINFO", "{not json", "USERINFO")]
    [InlineData("USERINFO", "{\"shoe\":\"size\"}", "USERINFO")]
    [InlineData("ROLE_GROUPS", "{\"boss\":\"cn=x\"}", "ROLE_GROUPS")]
    [InlineData("TIMEOUT", "0", "TIMEOUT")]
    [InlineData("TLS_VERIFY", "0", "TLS_VERIFY")]
    [InlineData("TLS_CA_FILE", "/nonexistent/ca.pem", "TLS_CA_FILE")]
    public async Task PostResolver_BadSetting_Is400NamingItAndSavesNothing(string name, string value, string named)
    {
        var answer = await _admin.PostFormAsync("/resolver/bad", ldap.ResolverParameters(null, (name, value)));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(named, answer.ErrorMessage);
        await using var db = portal.NewDb();
        Assert.False(await db.Resolvers.AnyAsync(r => r.Name == "bad"));
    }

    [Fact]
    public async Task PostResolver_AsHelpdesk_Is403AndSavesNothing()
    {
        await portal.CreateUserAsync("helpdesk-res", PortalRoles.Helpdesk);
        var helpdesk = await ApiClient.LoginAsync(portal, "helpdesk-res", PortalUsers.Password);

        var answer = await helpdesk.PostFormAsync("/resolver/sneaky", ldap.ResolverParameters());

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        await using var db = portal.NewDb();
        Assert.False(await db.Resolvers.AnyAsync(r => r.Name == "sneaky"));
    }

    [Fact]
    public async Task Realm_CreateListDefaultAndDelete_FollowsPrivacyIdeasShape()
    {
        await DirectoryScenario.ConnectAsync(_admin, ldap, realm: "shape", resolver: "shape-ldap");
        var withLocal = await _admin.PostFormAsync("/realm/shape", ("resolvers", "shape-ldap,local"), ("priority.local", "1"), ("priority.shape-ldap", "2"));
        var second = await _admin.PostFormAsync("/realm/second", ("resolvers", "local"));
        var unknown = await _admin.PostFormAsync("/realm/broken", ("resolvers", "no-such-resolver"));
        var badPriority = await _admin.PostFormAsync("/realm/broken", ("resolvers", "local"), ("priority.local", "first"));
        var madeDefault = await _admin.PostFormAsync("/defaultrealm/shape");
        var defaultRealm = await _admin.GetAsync("/defaultrealm");
        var resolverInUse = await _admin.DeleteAsync("/resolver/shape-ldap");
        var defaultInUse = await _admin.DeleteAsync("/realm/shape");
        var deleted = await _admin.DeleteAsync("/realm/second");

        Assert.True(withLocal.Status == HttpStatusCode.OK, withLocal.ToString());
        var order = withLocal.Value.GetProperty("resolver").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Equal(["local", "shape-ldap"], order);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badPriority.Status);
        Assert.Equal(HttpStatusCode.OK, madeDefault.Status);
        Assert.True(defaultRealm.Value.TryGetProperty("shape", out _), defaultRealm.ToString());
        Assert.Equal(HttpStatusCode.Conflict, resolverInUse.Status);
        Assert.Equal(HttpStatusCode.Conflict, defaultInUse.Status);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        await using var db = portal.NewDb();
        Assert.False(await db.Realms.AnyAsync(r => r.Name == "broken" || r.Name == "second"));
        Assert.True(await db.Resolvers.AnyAsync(r => r.Name == "shape-ldap"));
    }
}
