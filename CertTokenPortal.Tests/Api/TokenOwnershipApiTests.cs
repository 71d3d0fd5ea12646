using System.Net;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Api;

/// <summary>A token belongs to its owner's account (its id), not to whoever holds the owner's name.</summary>
[Trait("Category", "Api")]
public sealed class TokenOwnershipApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task TokenList_DeletedAccountsNameTakenAgain_NewAccountSeesNoneOfTheOldTokens()
    {
        var first = await portal.CreateUserAsync("olga", PortalRoles.User);
        var olga = await ApiClient.LoginAsync(portal, "olga", PortalUsers.Password);
        var enrolled = await olga.PostFormAsync("/token/init", ("type", "certificate"), ("ca", "localCA"), ("request", TestCsrs.Ec("olga")));
        Assert.True(enrolled.Status == HttpStatusCode.OK, enrolled.ToString());
        var serial = enrolled.Detail.GetProperty("serial").GetString()!;
        var admin = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync("/user/olga")).Status);

        var second = await portal.CreateUserAsync("olga", PortalRoles.User);
        var newOlga = await ApiClient.LoginAsync(portal, "olga", PortalUsers.Password);
        var own = await newOlga.GetAsync("/token/");
        var direct = await newOlga.GetAsync($"/token/{serial}/certificate");
        var staff = await admin.GetAsync($"/token/?serial={serial}");

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(0, own.Value.GetProperty("count").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, direct.Status);
        // privacyIDEA's fields still name the owner the token was enrolled for.
        Assert.Equal("olga", staff.Value.GetProperty("tokens")[0].GetProperty("username").GetString());
        await using var db = portal.NewDb();
        Assert.Equal(first.Id, (await db.Tokens.SingleAsync(t => t.Serial == serial)).OwnerId);
    }

    [Fact]
    public async Task TokenInit_ForAnotherUser_RecordsTheirAccountId()
    {
        var peter = await portal.CreateUserAsync("peter", PortalRoles.User);
        var admin = await ApiClient.LoginAsync(portal, "admin", PortalFactory.AdminPassword);

        var enrolled = await admin.PostFormAsync("/token/init", ("type", "certificate"), ("user", "peter"), ("ca", "localCA"), ("request", TestCsrs.Ec("peter")));

        Assert.True(enrolled.Status == HttpStatusCode.OK, enrolled.ToString());
        await using var db = portal.NewDb();
        var token = await db.Tokens.SingleAsync(t => t.Serial == enrolled.Detail.GetProperty("serial").GetString());
        Assert.Equal((peter.Id, "peter", "default"), (token.OwnerId, token.OwnerUserName, token.OwnerRealm));
    }
}
