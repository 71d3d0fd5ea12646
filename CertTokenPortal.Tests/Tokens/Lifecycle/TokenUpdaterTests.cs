using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens.Info;
using CertTokenPortal.Core.Tokens.Lifecycle;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Tokens.Lifecycle;

/// <summary>Two changes of one token at the same moment: the later one is a conflict, never a server error.</summary>
[Trait("Category", "Unit")]
public sealed class TokenUpdaterTests : IClassFixture<CoreFixture>
{
    private readonly CoreFixture _fixture;

    public TokenUpdaterTests(CoreFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task UpdateAsync_SameInfoKeyAddedMeanwhile_IsConflictAndKeepsTheFirst()
    {
        var core = _fixture.Core;
        var owner = $"tu{Guid.NewGuid():N}"[..10];
        await core.CreateUserAsync(owner);
        var token = await core.EnrolCsrAsync(owner, owner);

        var result = await core.InScopeAsync(sp => sp.GetRequiredService<TokenUpdater>().UpdateAsync(Actor.System, token.Serial, async (db, loaded) =>
        {
            // Someone else's change of the same key lands between this change's read and its save.
            await using (var other = core.NewDb())
            {
                other.TokenInfo.Add(new TokenInfoEntry { TokenId = loaded.Id, Key = "asset", Value = "first" });
                var row = await other.Tokens.SingleAsync(t => t.Id == loaded.Id);
                row.Version = Guid.NewGuid();
                await other.SaveChangesAsync();
            }
            db.TokenInfo.Add(new TokenInfoEntry { TokenId = loaded.Id, Key = "asset", Value = "second" });
            return "info 'asset' added.";
        }, serialized: false, default));

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.Conflict, result.Error.Kind);
        await using var check = core.NewDb();
        Assert.Equal(["first"], await check.TokenInfo.Where(e => e.TokenId == token.Id).Select(e => e.Value).ToListAsync());
    }
}
