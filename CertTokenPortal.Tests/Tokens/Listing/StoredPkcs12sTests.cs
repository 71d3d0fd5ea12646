using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Secrets;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Listing;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Tokens.Listing;

/// <summary>info.pkcs12 is read only for tokens the caller may download: nothing at all is read for anyone else.</summary>
[Trait("Category", "Unit")]
public sealed class StoredPkcs12sTests : IClassFixture<CoreFixture>
{
    private readonly CoreFixture _fixture;

    public StoredPkcs12sTests(CoreFixture fixture) => _fixture = fixture;

    /// <summary>Counts the files it opens; "opening" is the identity, so the test can recognise the bytes.</summary>
    private sealed class CountingProtector : ISecretProtector
    {
        public List<string> Opened { get; } = [];
        public byte[] Protect(string purpose, ReadOnlySpan<byte> plaintext) => plaintext.ToArray();
        public byte[] Unprotect(string purpose, byte[] protectedData)
        {
            Opened.Add(purpose);
            return protectedData;
        }
    }

    private async Task<List<TokenView>> SeedAsync(string alice, string bob)
    {
        await using var db = _fixture.Core.NewDb();
        var tokens = new[]
        {
            TestTokens.New($"CRT{Random.Shared.Next():X8}", RolloutState.Enrolled, DateTime.UtcNow.AddDays(30), owner: alice),
            TestTokens.New($"CRT{Random.Shared.Next():X8}", RolloutState.Enrolled, DateTime.UtcNow.AddDays(30), owner: bob),
            TestTokens.New($"CRT{Random.Shared.Next():X8}", RolloutState.Enrolled, DateTime.UtcNow.AddDays(30), owner: alice),
        };
        tokens[0].EncryptedPkcs12 = [1, 2, 3];
        tokens[1].EncryptedPkcs12 = [4, 5, 6];
        db.Tokens.AddRange(tokens);
        await db.SaveChangesAsync();
        return tokens.Select(TokenView.From).ToList();
    }

    [Fact]
    public async Task AttachAsync_Helpdesk_ReadsNoFile()
    {
        var views = await SeedAsync("pa" + Guid.NewGuid().ToString("N")[..8], "pb" + Guid.NewGuid().ToString("N")[..8]);
        var protector = new CountingProtector();
        await using var db = _fixture.Core.NewDb();

        var (tokens, handedOut) = await new StoredPkcs12s(protector).AttachAsync(db, new Actor("help", "default", PortalRoles.Helpdesk, null), views, default);

        Assert.Empty(protector.Opened);
        Assert.Empty(handedOut);
        Assert.All(tokens, t => Assert.Null(t.Pkcs12Base64));
    }

    [Fact]
    public async Task AttachAsync_Owner_GetsOwnFileOnly_AdminGetsEvery()
    {
        var alice = "pa" + Guid.NewGuid().ToString("N")[..8];
        var views = await SeedAsync(alice, "pb" + Guid.NewGuid().ToString("N")[..8]);
        var ownerProtector = new CountingProtector();
        var adminProtector = new CountingProtector();
        await using var db = _fixture.Core.NewDb();

        var (asOwner, ownerFiles) = await new StoredPkcs12s(ownerProtector).AttachAsync(db, new Actor(alice, "default", PortalRoles.User, null), views, default);
        var (asAdmin, adminFiles) = await new StoredPkcs12s(adminProtector).AttachAsync(db, Actor.System, views, default);

        Assert.Equal([views[0].Serial], ownerFiles);
        Assert.Equal([SecretPurposes.TokenPkcs12], ownerProtector.Opened);
        Assert.Equal(Convert.ToBase64String([1, 2, 3]), asOwner[0].Pkcs12Base64);
        Assert.Null(asOwner[1].Pkcs12Base64);
        Assert.Null(asOwner[2].Pkcs12Base64); // no stored file
        Assert.Equal([views[0].Serial, views[1].Serial], adminFiles);
        Assert.Equal(Convert.ToBase64String([4, 5, 6]), asAdmin[1].Pkcs12Base64);
    }
}
