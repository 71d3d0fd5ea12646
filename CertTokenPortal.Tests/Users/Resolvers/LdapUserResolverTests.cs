using System.Diagnostics;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Users.Resolvers;
using CertTokenPortal.Core.Users.Resolvers.Ldap;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Users.Resolvers;

/// <summary>The LDAP resolver against a real slapd, and against fault-injecting stand-ins for a hung or stopped directory.</summary>
[Trait("Category", "ExternalTool")]
[Collection(OpenLdapCollection.Name)]
public sealed class LdapUserResolverTests(OpenLdapServer ldap)
{
    private static LdapUserResolver Resolver(OpenLdapServer server, string? uri = null, params (string Name, string Value)[] overrides)
    {
        var parameters = server.ResolverParameters(uri, overrides).ToDictionary(p => p.Name, p => (string?)p.Value);
        var settings = LdapResolverSettings.Parse(parameters);
        Assert.True(settings.IsSuccess, settings.Error?.Message);
        return new LdapUserResolver("test-ldap", settings.Value, parameters["BINDPW"], TimeProvider.System);
    }

    [Fact]
    public async Task FindByLoginName_KnownUser_MapsEveryAttribute()
    {
        using var resolver = Resolver(ldap);

        var alice = (await resolver.FindByLoginNameAsync("alice", default)).Value!;

        Assert.Equal(("alice", "Alice", "Archer", "Alice Archer", "alice.archer@example.org", "+49 30 1234"),
            (alice.UserName, alice.GivenName, alice.Surname, alice.DisplayName, alice.Email, alice.Phone));
        Assert.Equal($"uid=alice,{OpenLdapServer.People}", alice.DistinguishedName);
        Assert.Equal(alice, (await resolver.FindByIdAsync(alice.Id, default)).Value);
    }

    [Fact]
    public async Task FindByLoginName_FilterInjection_FindsNobody()
    {
        using var resolver = Resolver(ldap);

        Assert.Null((await resolver.FindByLoginNameAsync("*", default)).Value);
        Assert.Null((await resolver.FindByLoginNameAsync("alice)(uid=*", default)).Value);
    }

    [Fact]
    public async Task Search_SizeLimitBelowTheMatches_StopsAtTheLimitWithoutError()
    {
        using var resolver = Resolver(ldap, null, ("SIZELIMIT", "30"));

        var page = await resolver.SearchAsync("person", 1, 50, default);

        Assert.True(page.IsSuccess, page.Error?.Message);
        Assert.Equal(30, page.Value.Users.Count);
    }

    [Fact]
    public async Task CheckPassword_RightWrongAndEmpty_OnlyTheRightOnePasses()
    {
        using var resolver = Resolver(ldap);
        var bob = (await resolver.FindByLoginNameAsync("bob", default)).Value!;

        Assert.True((await resolver.CheckPasswordAsync(bob, OpenLdapServer.UserPassword, default)).Value);
        Assert.False((await resolver.CheckPasswordAsync(bob, "wrong", default)).Value);
        Assert.False((await resolver.CheckPasswordAsync(bob, "", default)).Value);
    }

    [Fact]
    public async Task AnyCall_DirectoryAcceptsButNeverAnswers_EndsUnavailableWithinThreeTimeouts()
    {
        using var silent = new SilentServer();
        using var resolver = Resolver(ldap, $"ldap://127.0.0.1:{silent.Port}", ("TIMEOUT", "1"));

        var watch = Stopwatch.StartNew();
        var found = await resolver.FindByLoginNameAsync("alice", default);
        watch.Stop();

        Assert.Equal(ErrorKind.Unavailable, found.Error?.Kind);
        Assert.Contains("test-ldap", found.Error!.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task AnyCall_SlapdStoppedMidUse_EndsUnavailableQuickly()
    {
        using var own = OpenLdapServer.WithUsers(10);
        using var resolver = Resolver(own, null, ("TIMEOUT", "2"));
        Assert.True((await resolver.SearchAsync("person", 1, 5, default)).IsSuccess);

        own.Stop();
        var watch = Stopwatch.StartNew();
        var afterStop = await resolver.SearchAsync("person", 1, 5, default);
        var again = await resolver.FindByLoginNameAsync("alice", default);
        watch.Stop();

        Assert.Equal(ErrorKind.Unavailable, afterStop.Error?.Kind);
        Assert.Equal(ErrorKind.Unavailable, again.Error?.Kind);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(12), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("ldap://h", "", "LDAPBASE")]
    [InlineData("ldaps://h", "dc=x", null)]
    public void Parse_RequiredFields_AreChecked(string uri, string baseDn, string? named)
    {
        var parsed = LdapResolverSettings.Parse(new Dictionary<string, string?> { ["LDAPURI"] = uri, ["LDAPBASE"] = baseDn });

        if (named is null)
        {
            Assert.True(parsed.IsSuccess);
            Assert.Equal(LdapUidType.Dn, parsed.Value.UidType);
            Assert.Equal("uid", parsed.Value.LoginNameAttribute);
        }
        else
        {
            Assert.Contains(named, parsed.Error!.Message);
        }
    }

    [Fact]
    public void Parse_StartTlsOnLdaps_IsRefused()
    {
        var parsed = LdapResolverSettings.Parse(new Dictionary<string, string?> { ["LDAPURI"] = "ldaps://h", ["LDAPBASE"] = "dc=x", ["START_TLS"] = "1" });

        Assert.Contains("START_TLS", parsed.Error!.Message);
    }
}
