using System.Net;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>
/// Display names: set for portal accounts through <c>/user/</c>, read from the directory's USERINFO mapping for
/// directory users (a real slapd), and written into certificates by a template whose CN is the display name, with
/// the account's email in an rfc822Name SAN; the certificates are read back with openssl.
/// </summary>
[Trait("Category", "ExternalTool")]
[Collection(OpenLdapCollection.Name)]
public sealed class UserDisplayNameApiTests(OpenLdapServer ldap, PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private ApiClient _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);
        await DirectoryScenario.ConnectAsync(_admin, ldap);
        var template = await _admin.PostFormAsync("/caconnector/localCA/template/person", ("days", "365"), ("key_usage", "digitalSignature"),
            ("extended_key_usage", "clientAuth"), ("subject_source", "owner"), ("subject_cn", "displayname"), ("email_san", "1"));
        Assert.True(template.Status == HttpStatusCode.OK, template.ToString());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CreateUser_WithPrivacyIdeasNameFields_ListsThemAndStoresThem()
    {
        var created = await _admin.PostFormAsync("/user/", ("username", "gina"), ("password", "Gina-Passw0rd!"), ("email", "gina@corp.example"),
            ("givenname", " Gina "), ("surname", "Gardner"), ("displayname", "Gina Gardner"));

        Assert.True(created.Status == HttpStatusCode.OK, created.ToString());
        var listed = Assert.Single((await _admin.GetAsync("/user/?username=gina")).Value.EnumerateArray());
        Assert.Equal(("Gina", "Gardner", "Gina Gardner", "local"), (listed.GetProperty("givenname").GetString(),
            listed.GetProperty("surname").GetString(), listed.GetProperty("displayname").GetString(), listed.GetProperty("resolver").GetString()));
        await using var db = portal.NewDb();
        Assert.Equal("Gina Gardner", (await db.Users.SingleAsync(u => u.UserName == "gina")).DisplayName);
    }

    [Fact]
    public async Task CreateUser_DisplayNameWithLineBreak_Is400AndSavesNothing()
    {
        var answer = await _admin.PostFormAsync("/user/", ("username", "hank"), ("password", "Hank-Passw0rd!"), ("displayname", "Hank\nCN=admin"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("The displayname may not hold line breaks or other control characters.", answer.ErrorMessage);
        await using var db = portal.NewDb();
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "hank"));
    }

    [Fact]
    public async Task SetDetails_LocalAccount_ChangesOnlyWhatIsGiven()
    {
        await _admin.PostFormAsync("/user/", ("username", "ivan"), ("password", "Ivan-Passw0rd!"), ("email", "ivan@corp.example"), ("givenname", "Ivan"));

        var answer = await _admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/user/")
        {
            Content = new FormUrlEncodedContent([new("user", "ivan"), new("displayname", "Ivan Iverson")]),
        });

        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        await using var db = portal.NewDb();
        var ivan = await db.Users.SingleAsync(u => u.UserName == "ivan");
        Assert.Equal(("Ivan Iverson", "Ivan", "ivan@corp.example"), (ivan.DisplayName, ivan.GivenName, ivan.Email));
    }

    [Fact]
    public async Task SetDetails_DirectoryUser_Is409SayingTheDirectoryHoldsThemAndChangesNothing()
    {
        ldap.AddUser("jules", "Jules Jordan");
        Assert.Equal(HttpStatusCode.OK, (await DirectoryScenario.AuthAsync(portal, "jules@corp", OpenLdapServer.UserPassword)).Status);

        var answer = await _admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/user/")
        {
            Content = new FormUrlEncodedContent([new("user", "jules"), new("displayname", "Someone Else")]),
        });

        Assert.Equal(HttpStatusCode.Conflict, answer.Status);
        Assert.Equal("The names and email of 'jules' come from the directory of realm 'corp'; change them there.", answer.ErrorMessage);
        await using var db = portal.NewDb();
        Assert.Equal("Jules Jordan", (await db.Users.SingleAsync(u => u.UserName == "jules")).DisplayName);
    }

    [Fact]
    public async Task TokenInit_DisplayNameTemplateLocalOwner_CnIsTheDisplayNameAndTheEmailASan_ReadByOpenSsl()
    {
        await _admin.PostFormAsync("/user/", ("username", "karl"), ("password", "Karl-Passw0rd!"), ("email", "karl.keller@corp.example"),
            ("displayname", "Karl Keller"));

        var (subject, sans) = await EnrolAsync("karl", realm: null);

        Assert.Contains("CN=Karl Keller", subject);
        Assert.Contains("email:karl.keller@corp.example", sans);
    }

    [Fact]
    public async Task TokenInit_DisplayNameTemplateDirectoryOwner_NamesComeFromTheDirectory_ReadByOpenSsl()
    {
        ldap.AddUser("lena", "Lena Lindqvist", "lena.lindqvist@example.org");

        var (subject, sans) = await EnrolAsync("lena", realm: "corp");

        Assert.Contains("CN=Lena Lindqvist", subject);
        Assert.Contains("email:lena.lindqvist@example.org", sans);
        await using var db = portal.NewDb();
        var shadow = await db.Users.SingleAsync(u => u.UserName == "lena");
        Assert.Equal(("Lena Lindqvist", "Lindqvist"), (shadow.DisplayName, shadow.Surname));
        var listed = (await _admin.GetAsync("/token/?user=lena")).Value.GetProperty("tokens")[0];
        Assert.Equal((shadow.Id, "corp-ldap", "lena", "corp"), (listed.GetProperty("user_id").GetString(), listed.GetProperty("resolver").GetString(),
            listed.GetProperty("username").GetString(), listed.GetProperty("user_realm").GetString()));
    }

    [Fact]
    public async Task ChangeOwnPassword_DirectoryUser_Is409NamingTheDirectoryNotAValidationError()
    {
        ldap.AddUser("mona", "Mona Meyer");
        var login = await DirectoryScenario.AuthAsync(portal, "mona@corp", OpenLdapServer.UserPassword);
        var mona = DirectoryScenario.Session(portal, login);

        var answer = await mona.PostFormAsync("/auth/password", ("password", ""), ("new_password", ""));

        Assert.Equal(HttpStatusCode.Conflict, answer.Status);
        Assert.StartsWith("Your password is managed by the directory of realm 'corp'", answer.ErrorMessage);
        // The session still works: nothing about the account changed.
        Assert.Equal(HttpStatusCode.OK, (await mona.GetAsync("/token/")).Status);
    }

    private async Task<(string Subject, string Sans)> EnrolAsync(string user, string? realm)
    {
        var fields = new List<(string, string)> { ("type", "certificate"), ("user", user), ("ca", "localCA"), ("template", "person"),
            ("genkey", "1"), ("keytype", "ec"), ("curve", "P-256"), ("pin", "Long-PIN-1234") };
        if (realm is not null)
        {
            fields.Add(("realm", realm));
        }
        var answer = await _admin.PostFormAsync("/token/init", fields.ToArray());
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        var serial = answer.Detail.GetProperty("serial").GetString()!;
        var pem = (await _admin.GetAsync($"/token/?serial={serial}")).Value.GetProperty("tokens")[0].GetProperty("info").GetProperty("certificate").GetString()!;
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("cert.pem"), pem);
        var subject = ExternalTool.OpenSsl("x509", "-in", dir.File("cert.pem"), "-noout", "-subject", "-nameopt", "RFC2253").StdOut;
        var sans = ExternalTool.OpenSsl("x509", "-in", dir.File("cert.pem"), "-noout", "-ext", "subjectAltName").StdOut;
        return (subject, sans);
    }
}
