using System.Diagnostics;
using System.Net;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>Directory users as token owners and in GET /user/, against a real slapd with 1,000 generated users.</summary>
[Trait("Category", "ExternalTool")]
[Collection(OpenLdapCollection.Name)]
public sealed class DirectoryUserApiTests(OpenLdapServer ldap, PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private ApiClient _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);
        await DirectoryScenario.ConnectAsync(_admin, ldap);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ListUsers_RealmWithThousandUsers_GivesPagesOfTheDirectoryInPrivacyIdeasFields()
    {
        var first = await _admin.GetAsync("/user/?realm=corp&username=person*&pagesize=50");
        var third = await _admin.GetAsync("/user/?realm=corp&username=person*&pagesize=50&page=3");
        var last = await _admin.GetAsync("/user/?realm=corp&username=person*&pagesize=50&page=20");
        var beyond = await _admin.GetAsync("/user/?realm=corp&username=person*&pagesize=50&page=21");

        Assert.True(first.Status == HttpStatusCode.OK, first.ToString());
        Assert.Equal(50, first.Value.GetArrayLength());
        Assert.True(first.Detail.GetProperty("more").GetBoolean());
        var one = first.Value[0];
        Assert.Equal("corp-ldap", one.GetProperty("resolver").GetString());
        Assert.StartsWith("person", one.GetProperty("username").GetString());
        Assert.EndsWith("@example.org", one.GetProperty("email").GetString());
        Assert.Equal("Person", one.GetProperty("givenname").GetString());
        Assert.Matches("^[0-9a-f-]{36}$", one.GetProperty("userid").GetString());
        var firstNames = first.Value.EnumerateArray().Select(u => u.GetProperty("username").GetString()).ToHashSet();
        Assert.DoesNotContain(third.Value.EnumerateArray().Select(u => u.GetProperty("username").GetString()), firstNames.Contains);
        Assert.Equal(50, last.Value.GetArrayLength());
        Assert.False(last.Detail.GetProperty("more").GetBoolean());
        Assert.Equal(0, beyond.Value.GetArrayLength());
    }

    [Fact]
    public async Task ListUsers_SearchByDisplayNameOrEmail_FindsTheDirectoryUser()
    {
        var byDisplay = await _admin.GetAsync("/user/?realm=corp&username=Archer");
        var byMail = await _admin.GetAsync("/user/?realm=corp&username=bob.baker@");

        Assert.Equal("alice", Assert.Single(byDisplay.Value.EnumerateArray()).GetProperty("username").GetString());
        Assert.Equal("bob", Assert.Single(byMail.Value.EnumerateArray()).GetProperty("username").GetString());
    }

    [Fact]
    public async Task ListUsers_FilterCharactersInTheSearch_AreTakenLiterally()
    {
        var answer = await _admin.GetAsync("/user/?realm=corp&username=" + Uri.EscapeDataString(")(uid=alice"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(0, answer.Value.GetArrayLength());
    }

    [Fact]
    public async Task ListUsers_UnknownRealm_IsStillTheLocalList()
    {
        var answer = await _admin.GetAsync("/user/?realm=nowhere");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(0, answer.Value.GetArrayLength());
    }

    [Fact]
    public async Task TokenInit_ForDirectoryUserWhoNeverLoggedIn_TakesNameAndEmailFromTheDirectory_VerifiedByOpenSsl()
    {
        ldap.AddUser("dora", "Dora Directory", "dora.directory@example.org");

        var answer = await _admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", "dora"), ("realm", "corp"),
            ("ca", "localCA"), ("genkey", "1"), ("keytype", "ec"), ("curve", "P-256"), ("subject_components", "email,realm"), ("pin", "Dora-PIN-1234"));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        var serial = answer.Detail.GetProperty("serial").GetString()!;
        using var dir = new TempDirectory();
        var pem = (await _admin.GetAsync($"/token/?serial={serial}")).Value.GetProperty("tokens")[0].GetProperty("info").GetProperty("certificate").GetString()!;
        File.WriteAllText(dir.File("cert.pem"), pem);
        var subject = ExternalTool.OpenSsl("x509", "-in", dir.File("cert.pem"), "-noout", "-subject", "-nameopt", "RFC2253").StdOut;
        Assert.Contains("CN=dora", subject);
        Assert.Contains("emailAddress=dora.directory@example.org", subject);
        Assert.Contains("OU=corp", subject);
        await using var db = portal.NewDb();
        var token = await db.Tokens.SingleAsync(t => t.Serial == serial);
        Assert.Equal(("dora", "corp"), (token.OwnerUserName, token.OwnerRealm));
        Assert.Equal("corp-ldap", (await db.Users.SingleAsync(u => u.UserName == "dora")).Resolver);
    }

    [Fact]
    public async Task TokenInit_ForUserInNoDirectory_Is400AndSavesNothing()
    {
        var answer = await _admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", "ghost"), ("realm", "corp"),
            ("ca", "localCA"), ("request", TestCsrs.Ec("ghost")));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        await using var db = portal.NewDb();
        Assert.False(await db.Tokens.AnyAsync(t => t.OwnerUserName == "ghost"));
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "ghost"));
    }

    [Fact]
    public async Task RenameInDirectory_KeepsTheTokensOwnerAndTheUserCanLogInUnderTheNewName()
    {
        ldap.AddUser("renee", "Renee Rename");
        var enrolled = await _admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", "renee"), ("realm", "corp"),
            ("ca", "localCA"), ("request", TestCsrs.Ec("renee")));
        Assert.True(enrolled.Status == HttpStatusCode.OK, enrolled.ToString());
        var serial = enrolled.Detail.GetProperty("serial").GetString()!;

        // A rename changes the DN and the login name; entryUUID (the resolver's user id) stays.
        ldap.Modify($"dn: uid=renee,{OpenLdapServer.People}\nchangetype: modrdn\nnewrdn: uid=renee.new\ndeleteoldrdn: 1\n");
        var login = await DirectoryScenario.AuthAsync(portal, "renee.new@corp", OpenLdapServer.UserPassword);

        Assert.True(login.Status == HttpStatusCode.OK, login.ToString());
        var own = await DirectoryScenario.Session(portal, login).GetAsync("/token/");
        Assert.Contains(serial, own.Body);
        await using var db = portal.NewDb();
        Assert.Equal("renee.new", (await db.Tokens.SingleAsync(t => t.Serial == serial)).OwnerUserName);
        Assert.Equal(1, await db.Users.CountAsync(u => u.UserName == "renee.new" || u.UserName == "renee"));
    }
}
