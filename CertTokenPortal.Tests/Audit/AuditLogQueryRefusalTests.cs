using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Audit;

/// <summary>Refused reads of the audit log: nothing is returned, and the attempt itself is audited.</summary>
[Trait("Category", "Unit")]
public sealed class AuditLogQueryRefusalTests(CoreFixture fixture) : IClassFixture<CoreFixture>
{
    private static readonly DateTime Start = AuditLogQueryTests.Start;

    public static TheoryData<AuditQuery, string> BadQueries => new()
    {
        { new AuditQuery { Page = 0 }, "page must be 1 or more and pagesize between 1 and 1000." },
        { new AuditQuery { PageSize = 0 }, "page must be 1 or more and pagesize between 1 and 1000." },
        { new AuditQuery { PageSize = 1001 }, "page must be 1 or more and pagesize between 1 and 1000." },
        { new AuditQuery { Page = int.MaxValue, PageSize = 1000 }, $"page {int.MaxValue} is beyond the end of any audit log." },
        { new AuditQuery { From = Start, To = Start }, "The start of the time range must be before its end." },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task ExecuteAsync_BadQuery_Validation(AuditQuery query, string message)
    {
        var helpdesk = new Actor($"h{Guid.NewGuid():N}"[..12], "default", PortalRoles.Helpdesk, null);

        var result = await QueryAsync(helpdesk, query);

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Equal(message, result.Error?.Message);
        await using var db = fixture.Core.NewDb();
        var audited = await db.AuditEntries.SingleAsync(e => e.UserName == helpdesk.UserName);
        Assert.Equal((AuditActions.AuditView, false, message), (audited.Action, audited.Success, audited.Message));
    }

    [Fact]
    public async Task ExecuteAsync_EndUser_ForbiddenAndAttemptAudited()
    {
        var user = new Actor("ulla", "default", PortalRoles.User, "192.0.2.7");

        var result = await QueryAsync(user, new AuditQuery());

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        Assert.Equal("Only admins and helpdesk staff may read the audit log.", result.Error?.Message);
        await using var db = fixture.Core.NewDb();
        var audited = await db.AuditEntries.SingleAsync(e => e.UserName == "ulla");
        Assert.Equal((AuditActions.AuditView, false, "192.0.2.7"), (audited.Action, audited.Success, audited.ClientAddress));
    }

    [Fact]
    public async Task ExecuteAsync_Helpdesk_ReadsWithoutWritingToTheLog()
    {
        var helpdesk = new Actor("hedda", "default", PortalRoles.Helpdesk, null);
        await using var before = fixture.Core.NewDb();
        var count = await before.AuditEntries.CountAsync();

        var result = await QueryAsync(helpdesk, new AuditQuery());

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(count, result.Value.Count);
        await using var after = fixture.Core.NewDb();
        Assert.Equal(count, await after.AuditEntries.CountAsync());
    }

    private Task<Result<AuditPage>> QueryAsync(Actor actor, AuditQuery query) =>
        fixture.Core.InScopeAsync(sp => sp.GetRequiredService<AuditLogQuery>().ExecuteAsync(actor, query));
}
