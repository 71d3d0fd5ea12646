using CertTokenPortal.Components.Pages.Tokens;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Listing;

namespace CertTokenPortal.Tests.Components.Pages.Tokens;

[Trait("Category", "Component")]
public sealed class TokenFilterTests
{
    [Fact]
    public void ToQuery_Revoked_AsksForRevokedTokensOfAnyEnrolmentState()
    {
        var query = new TokenFilter { State = "revoked" }.ToQuery();

        Assert.Equal((null, true), (query.RolloutState, query.Revoked));
    }

    [Fact]
    public void ToQuery_Enrolled_LeavesRevokedTokensOut()
    {
        var query = new TokenFilter { State = "enrolled" }.ToQuery();

        Assert.Equal((RolloutState.Enrolled, false), (query.RolloutState, query.Revoked));
    }

    [Fact]
    public void ToQuery_Pending_AsksForThatStateOnly()
    {
        var query = new TokenFilter { State = "pending" }.ToQuery();

        Assert.Equal((RolloutState.Pending, null), (query.RolloutState, query.Revoked));
    }

    [Fact]
    public void ToQuery_ExpiryDays_CoverWholeUtcDays()
    {
        var query = new TokenFilter { NotAfterFrom = new DateTime(2030, 1, 10), NotAfterTo = new DateTime(2030, 1, 20) }.ToQuery();

        Assert.Equal(new DateTime(2030, 1, 10, 0, 0, 0, DateTimeKind.Utc), query.NotAfterFrom);
        Assert.Equal(new DateTime(2030, 1, 21, 0, 0, 0, DateTimeKind.Utc).AddTicks(-1), query.NotAfterTo);
        Assert.Equal(DateTimeKind.Utc, query.NotAfterTo!.Value.Kind);
    }

    [Fact]
    public void ToQuery_PageAndSort_PassThrough()
    {
        var query = new TokenFilter { Search = "lap", CaName = "localCA", TemplateName = "user" }.ToQuery(3, 50, TokenSortField.NotAfter, true);

        Assert.Equal(("lap", "localCA", "user", 3, 50, TokenSortField.NotAfter, true),
            (query.Search, query.CaName, query.TemplateName, query.Page, query.PageSize, query.SortBy, query.Descending));
    }

    [Fact]
    public void Count_And_Clear_LeaveTheQuickSearchAlone()
    {
        var filter = new TokenFilter { Search = "x", Serial = "CRT*", UserName = "alice", NotAfterTo = DateTime.Today };

        Assert.Equal(3, filter.Count);
        filter.Clear();

        Assert.Equal(0, filter.Count);
        Assert.Equal("x", filter.Search);
    }

    [Fact]
    public void States_AreTheChipNames()
    {
        Assert.Equal(["enrolled", "pending", "denied", "failed", "revoked"], TokenFilter.States);
    }
}
