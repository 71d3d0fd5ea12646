using System.Net;
using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>
/// privacyIDEA's <c>/token/info/&lt;serial&gt;/&lt;key&gt;</c>: set and delete (admin), info and the infokey filter;
/// on SQLite and on PostgreSQL (the subclasses at the end).
/// </summary>
public abstract class TokenInfoApiTests
{
    private readonly PortalFactory _portal;

    protected TokenInfoApiTests(PortalFactory portal) => _portal = portal;

    private async Task<(ApiClient Admin, string Serial, string Owner)> EnrolAsync()
    {
        var owner = $"ti{Guid.NewGuid():N}"[..12];
        await _portal.CreateUserAsync(owner, PortalRoles.User);
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);
        var init = await admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", owner), ("request", TestCsrs.Rsa(owner)), ("ca", "localCA"));
        Assert.True(init.Ok, init.ToString());
        return (admin, init.Detail.GetProperty("serial").GetString()!, owner);
    }

    private async Task<List<(string Key, string Value)>> StoredAsync(string serial)
    {
        await using var db = _portal.NewDb();
        var id = await db.Tokens.Where(t => t.Serial == serial).Select(t => t.Id).SingleAsync();
        return (await db.TokenInfo.Where(e => e.TokenId == id).OrderBy(e => e.Key).Select(e => new { e.Key, e.Value }).ToListAsync())
            .Select(e => (e.Key, e.Value)).ToList();
    }

    [Fact]
    public async Task SetInfo_AsAdmin_InInfoFoundByFilterOverwrittenAndDeleted()
    {
        var (admin, serial, _) = await EnrolAsync();
        var asset = $"A-{Guid.NewGuid():N}"[..14];

        var set = await admin.PostFormAsync($"/token/info/{serial}/asset", ("value", asset));
        var listed = await admin.GetAsync($"/token/?serial={serial}");
        var found = await admin.GetAsync($"/token/?infokey=asset&infovalue={asset[..6]}*");
        var detail = await admin.GetAsync($"/token/{serial}");

        Assert.True(set.Ok, set.ToString());
        Assert.True(set.Value.GetBoolean());
        Assert.Equal(asset, listed.Value.GetProperty("tokens")[0].GetProperty("info").GetProperty("asset").GetString());
        Assert.Equal([serial], found.Value.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("serial").GetString()));
        Assert.Equal(asset, detail.Value.GetProperty("info").GetProperty("asset").GetString());

        var overwritten = await admin.PostJsonAsync($"/token/info/{serial}/asset", new { value = "B-2" });
        Assert.True(overwritten.Ok, overwritten.ToString());
        Assert.Equal([("asset", "B-2")], await StoredAsync(serial));
        Assert.Equal(0, (await admin.GetAsync($"/token/?infokey=asset&infovalue={asset}")).Value.GetProperty("count").GetInt32());

        var deleted = await admin.DeleteAsync($"/token/info/{serial}/asset");
        var deletedAgain = await admin.DeleteAsync($"/token/info/{serial}/asset");
        var after = await admin.GetAsync($"/token/{serial}");

        Assert.True(deleted.Ok, deleted.ToString());
        Assert.True(deleted.Value.GetBoolean());
        Assert.True(deletedAgain.Value.GetBoolean()); // privacyIDEA: true whenever the token exists
        Assert.False(after.Value.GetProperty("info").TryGetProperty("asset", out _));
        Assert.Empty(await StoredAsync(serial));
        await using var db = _portal.NewDb();
        var audited = await db.AuditEntries.Where(e => e.Serial == serial && e.Action == AuditActions.TokenUpdate && e.Success)
            .Select(e => e.Message).ToListAsync();
        Assert.Contains(audited, m => m.Contains("info 'asset' added"));
        Assert.Contains(audited, m => m.Contains("info 'asset' deleted"));
    }

    [Fact]
    public async Task List_HiddenTokeninfo_HidesAnAdminSetKey()
    {
        var (admin, serial, _) = await EnrolAsync();
        Assert.True((await admin.PostFormAsync($"/token/info/{serial}/room", ("value", "4.12"))).Ok);

        var hidden = await admin.GetAsync($"/token/?serial={serial}&hidden_tokeninfo=room");

        Assert.False(hidden.Value.GetProperty("tokens")[0].GetProperty("info").TryGetProperty("room", out _));
    }

    [Theory]
    [InlineData("certificate")]
    [InlineData("CA")]
    [InlineData("ca")]
    [InlineData("request")]
    [InlineData("requestId")]
    [InlineData("pkcs12")]
    [InlineData("attestation")]
    [InlineData("revocation_reason")]
    public async Task SetOrDeleteInfo_PortalKey_Is400NamingItAndNothingChanged(string key)
    {
        var (admin, serial, _) = await EnrolAsync();
        await using var before = _portal.NewDb();
        var token = await before.Tokens.AsNoTracking().SingleAsync(t => t.Serial == serial);

        var set = await admin.PostFormAsync($"/token/info/{serial}/{key}", ("value", "forged"));
        var delete = await admin.DeleteAsync($"/token/info/{serial}/{key}");

        Assert.Equal((HttpStatusCode.BadRequest, 905), (set.Status, set.ErrorCode));
        Assert.Contains($"'{key}'", set.ErrorMessage);
        Assert.Equal(HttpStatusCode.BadRequest, delete.Status);
        Assert.Contains($"'{key}'", delete.ErrorMessage);
        Assert.Empty(await StoredAsync(serial));
        await using var after = _portal.NewDb();
        var unchanged = await after.Tokens.AsNoTracking().SingleAsync(t => t.Serial == serial);
        Assert.Equal((token.Version, token.CaName, token.CertificatePem), (unchanged.Version, unchanged.CaName, unchanged.CertificatePem));
    }

    public static TheoryData<string, (string, string)[], string> BadInputs => new()
    {
        { "asset", [], "value" },
        { "asset", [("value", "")], "value" },
        { "asset", [("value", new string('v', InputLimits.MaxTokenInfoValueLength + 1))], "value" },
        { "asset", [("value", "x"), ("colour", "blue")], "colour" },
        { new string('k', InputLimits.MaxTokenInfoKeyLength + 1), [("value", "x")], "token-info key" },
        { "bad%20key", [("value", "x")], "token-info key" },
        { "k%C3%A9y", [("value", "x")], "token-info key" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task SetInfo_BadInput_Is400AndNothingWritten(string key, (string, string)[] form, string named)
    {
        var (admin, serial, _) = await EnrolAsync();

        var answer = await admin.PostFormAsync($"/token/info/{serial}/{key}", form);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(named, answer.ErrorMessage);
        Assert.Empty(await StoredAsync(serial));
    }

    [Fact]
    public async Task SetInfo_ValueWithJsonNumber_IsStoredAsText()
    {
        var (admin, serial, _) = await EnrolAsync();

        var answer = await admin.PostJsonAsync($"/token/info/{serial}/floor", new { value = 4 });

        Assert.True(answer.Ok, answer.ToString());
        Assert.Equal([("floor", "4")], await StoredAsync(serial));
    }

    [Fact]
    public async Task SetInfo_MoreThanTheLimit_Is400()
    {
        var (admin, serial, _) = await EnrolAsync();
        for (var i = 0; i < InputLimits.MaxTokenInfoEntries; i++)
        {
            Assert.True((await admin.PostFormAsync($"/token/info/{serial}/k{i}", ("value", "v"))).Ok);
        }

        var oneMore = await admin.PostFormAsync($"/token/info/{serial}/one-more", ("value", "v"));
        var overwrite = await admin.PostFormAsync($"/token/info/{serial}/k0", ("value", "w"));

        Assert.Equal(HttpStatusCode.BadRequest, oneMore.Status);
        Assert.True(overwrite.Ok, overwrite.ToString());
        Assert.Equal(InputLimits.MaxTokenInfoEntries, (await StoredAsync(serial)).Count);
    }

    [Fact]
    public async Task SetOrDeleteInfo_AsHelpdeskOrOwner_Is403AuditedAndNothingWritten()
    {
        var (admin, serial, owner) = await EnrolAsync();
        Assert.True((await admin.PostFormAsync($"/token/info/{serial}/keep", ("value", "me"))).Ok);
        var helpdeskName = $"th{Guid.NewGuid():N}"[..12];
        await _portal.CreateUserAsync(helpdeskName, PortalRoles.Helpdesk);
        var helpdesk = await ApiClient.LoginAsync(_portal, helpdeskName, PortalUsers.Password);
        var user = await ApiClient.LoginAsync(_portal, owner, PortalUsers.Password);

        var byHelpdesk = await helpdesk.PostFormAsync($"/token/info/{serial}/asset", ("value", "x"));
        var byOwner = await user.PostFormAsync($"/token/info/{serial}/asset", ("value", "x"));
        var deleteByOwner = await user.DeleteAsync($"/token/info/{serial}/keep");

        Assert.Equal(HttpStatusCode.Forbidden, byHelpdesk.Status);
        Assert.Equal(HttpStatusCode.Forbidden, byOwner.Status);
        Assert.Equal(HttpStatusCode.Forbidden, deleteByOwner.Status);
        Assert.Equal([("keep", "me")], await StoredAsync(serial));
        await using var db = _portal.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Serial == serial && e.UserName == helpdeskName && !e.Success));
        // The owner sees the entry an admin set.
        Assert.Equal("me", (await user.GetAsync($"/token/{serial}")).Value.GetProperty("info").GetProperty("keep").GetString());
    }

    [Fact]
    public async Task SetInfo_UnknownSerial_Is404()
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var set = await admin.PostFormAsync("/token/info/CRT0BADBAD0/asset", ("value", "x"));
        var delete = await admin.DeleteAsync("/token/info/CRT0BADBAD0/asset");

        Assert.Equal((HttpStatusCode.NotFound, 601), (set.Status, set.ErrorCode));
        Assert.Equal(HttpStatusCode.NotFound, delete.Status);
    }

    [Fact]
    public async Task DeleteToken_WithInfo_RemovesItsEntries()
    {
        var (admin, serial, _) = await EnrolAsync();
        Assert.True((await admin.PostFormAsync($"/token/info/{serial}/asset", ("value", "x"))).Ok);
        await using var before = _portal.NewDb();
        var id = await before.Tokens.Where(t => t.Serial == serial).Select(t => t.Id).SingleAsync();

        Assert.True((await admin.DeleteAsync($"/token/{serial}")).Ok);

        await using var after = _portal.NewDb();
        Assert.False(await after.TokenInfo.AnyAsync(e => e.TokenId == id));
    }

    [Theory]
    [InlineData("infokey=pkcs12&infovalue=x", "pkcs12")]
    [InlineData("infokey=bad key&infovalue=x", "infokey")]
    [InlineData("hidden_tokeninfo=bad key", "hidden_tokeninfo")]
    public async Task List_InfoParameterThatIsNoKey_Is400NamingIt(string query, string named)
    {
        var admin = await ApiClient.LoginAsync(_portal, "admin", PortalFactory.AdminPassword);

        var answer = await admin.GetAsync($"/token/?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(named, answer.ErrorMessage);
    }

    [Fact]
    public async Task List_InfoFilterAsUser_NeverWidensToOthersTokens()
    {
        var (admin, serial, _) = await EnrolAsync();
        Assert.True((await admin.PostFormAsync($"/token/info/{serial}/asset", ("value", "shared"))).Ok);
        var otherName = $"to{Guid.NewGuid():N}"[..12];
        await _portal.CreateUserAsync(otherName, PortalRoles.User);
        var other = await ApiClient.LoginAsync(_portal, otherName, PortalUsers.Password);

        var answer = await other.GetAsync("/token/?infokey=asset&infovalue=*");

        Assert.Equal(0, answer.Value.GetProperty("count").GetInt32());
    }
}

[Trait("Category", "Api")]
public sealed class TokenInfoApiOnSqliteTests(PortalFactory portal) : TokenInfoApiTests(portal), IClassFixture<PortalFactory>;

[Trait("Category", "Api"), Trait("Database", "PostgreSql")]
public sealed class TokenInfoApiOnPostgreSqlTests(PortalFactory.OnPostgreSql portal) : TokenInfoApiTests(portal), IClassFixture<PortalFactory.OnPostgreSql>;
