using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens.History;
using CertTokenPortal.Core.Tokens.Lifecycle;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Tokens.History;

/// <summary>The token timeline read from the audit log: what, who, when, and who may read it.</summary>
[Trait("Category", "Unit")]
public sealed class TokenHistoryQueryTests(CoreFixture fixture) : IClassFixture<CoreFixture>
{
    private CoreServices Core => fixture.Core;
    private static readonly Actor Gus = new("gus", "default", PortalRoles.User, null);
    private static readonly Actor Ivy = new("ivy", "default", PortalRoles.User, null);

    [Fact]
    public async Task ExecuteAsync_EnrolDownloadHold_NewestFirstWithWho()
    {
        await EnsureUsersAsync();
        var token = await Core.EnrolCsrAsync("gus", "gus-history");
        var download = await Core.InScopeAsync(sp => sp.GetRequiredService<ExportCertificateQuery>().ExecuteAsync(Gus, token.Serial, CertificateFormat.P7b));
        Assert.True(download.IsSuccess, download.Error?.Message);
        await Core.RevokeAsync(token.Serial, "certificateHold");

        var history = await HistoryAsync(Gus, token.Serial);

        Assert.Equal([TokenHistoryKind.Hold, TokenHistoryKind.Download, TokenHistoryKind.Enrolment], history.Value.Select(e => e.Kind));
        Assert.Equal(["admin", "gus", "helen"], history.Value.Select(e => e.Who));
        Assert.All(history.Value, e => Assert.True(e.Success));
        Assert.True(history.Value[0].When >= history.Value[2].When);
    }

    [Fact]
    public async Task ExecuteAsync_SomeoneElsesToken_NotFoundForUserAllowedForStaff()
    {
        await EnsureUsersAsync();
        var token = await Core.EnrolCsrAsync("gus", "gus-private");

        var asIvy = await HistoryAsync(Ivy, token.Serial);
        var asHelpdesk = await HistoryAsync(TestPki.Helpdesk, token.Serial);

        Assert.Equal(ErrorKind.NotFound, asIvy.Error?.Kind);
        Assert.True(asHelpdesk.IsSuccess);
        Assert.Equal(TokenHistoryKind.Enrolment, Assert.Single(asHelpdesk.Value).Kind);
    }

    [Theory]
    [InlineData("no serial!", ErrorKind.Validation)]
    [InlineData("CRT00000000", ErrorKind.NotFound)]
    public async Task ExecuteAsync_BadSerial_ClearError(string serial, ErrorKind kind)
    {
        Assert.Equal(kind, (await HistoryAsync(TestPki.Admin, serial)).Error?.Kind);
    }

    private Task<Result<IReadOnlyList<TokenHistoryEntry>>> HistoryAsync(Actor actor, string serial) =>
        Core.InScopeAsync(sp => sp.GetRequiredService<TokenHistoryQuery>().ExecuteAsync(actor, serial));

    private async Task EnsureUsersAsync()
    {
        await using var db = Core.NewDb();
        if (!db.Users.Any(u => u.UserName == "gus"))
        {
            await Core.CreateUserAsync("gus");
            await Core.CreateUserAsync("ivy");
        }
    }
}
