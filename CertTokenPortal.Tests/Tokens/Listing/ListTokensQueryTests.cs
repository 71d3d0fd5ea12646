using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens.Listing;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Tokens.Listing;

/// <summary>Listing straight through Core: a user sees only their own tokens, staff all; paging is checked.</summary>
[Trait("Category", "Unit")]
public sealed class ListTokensQueryTests : IAsyncLifetime
{
    private CoreServices _core = null!;

    public async Task InitializeAsync()
    {
        _core = await CoreServices.StartAsync();
        await _core.CreateUserAsync("alice");
        await _core.CreateUserAsync("bob");
        await _core.EnrolCsrAsync("alice", "alice", "one");
        await _core.EnrolCsrAsync("alice", "alice", "two");
        await _core.EnrolCsrAsync("bob", "bob", "three");
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task ExecuteAsync_User_SeesOnlyOwnTokens()
    {
        var page = await ListAsync(new Actor("alice", "default", PortalRoles.User, null), new TokenQuery());

        Assert.True(page.IsSuccess, page.Error?.Message);
        Assert.Equal(2, page.Value.Count);
        Assert.Equal(["alice", "alice"], page.Value.Tokens.Select(t => t.UserName));
    }

    [Fact]
    public async Task ExecuteAsync_UserFilteringForAnotherOwner_StillOnlyOwnTokens()
    {
        var page = await ListAsync(new Actor("alice", "default", PortalRoles.User, null), new TokenQuery { UserName = "bob" });

        Assert.True(page.IsSuccess, page.Error?.Message);
        Assert.DoesNotContain(page.Value.Tokens, t => t.UserName == "bob");
    }

    [Fact]
    public async Task ExecuteAsync_HelpdeskSecondPageOfTwo_RestOfAllTokens()
    {
        var page = await ListAsync(TestPki.Helpdesk, new TokenQuery { Page = 2, PageSize = 2 });

        Assert.True(page.IsSuccess, page.Error?.Message);
        Assert.Equal(3, page.Value.Count);
        Assert.Single(page.Value.Tokens);
    }

    [Theory]
    [InlineData(0, 15)]
    [InlineData(1, 0)]
    [InlineData(1, -5)]
    public async Task ExecuteAsync_BadPaging_ValidationAndAuditedRefusal(int pageNumber, int pageSize)
    {
        var page = await ListAsync(TestPki.Helpdesk, new TokenQuery { Page = pageNumber, PageSize = pageSize });

        Assert.Equal(ErrorKind.Validation, page.Error?.Kind);
        await using var db = _core.NewDb();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.TokenList && !e.Success));
    }

    private Task<Result<TokenPage>> ListAsync(Actor actor, TokenQuery query) =>
        _core.InScopeAsync(sp => sp.GetRequiredService<ListTokensQuery>().ExecuteAsync(actor, query));
}
