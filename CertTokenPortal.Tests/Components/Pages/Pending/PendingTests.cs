using System.Reflection;
using AngleSharp.Dom;
using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Core.CaConnectors.Approval;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Core.Users;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PendingPage = CertTokenPortal.Components.Pages.Pending.Pending;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages.Pending;

[Trait("Category", "Component")]
public sealed class PendingTests : PortalComponentTest
{
    private string _alicesRequest = "";
    private string _adminsRequest = "";

    public override async Task InitializeAsync()
    {
        await UseCoreAsync();
        var created = await Core.InScopeAsync(sp => sp.GetRequiredService<CreateApprovalCaCommand>().ExecuteAsync(Actor.System, "approvalCA", "localCA"));
        Assert.True(created.IsSuccess, created.Error?.Message);
        await ArrangeUserAsync("alice", PortalRoles.User);
        var alice = new Actor("alice", "default", PortalRoles.User, null);
        _alicesRequest = await RequestAsync(alice, null, "laptop");
        // Made by the admin the tests log in as: that admin may not decide it.
        _adminsRequest = await RequestAsync(TestPki.Admin, "alice", "made by admin");
    }

    [Fact]
    public void Pending_AuthorizeAttribute_IsTheDecideApprovalsPolicy()
    {
        var policies = typeof(PendingPage).GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy);

        Assert.Contains(RolePermissions.PolicyName(Permission.DecideApprovals), policies);
    }

    [Fact]
    public void Render_Admin_ListsRequestsOwnOnesWithDisabledButtonsAndHint()
    {
        LogInAs(PortalRoles.Admin);

        var cut = RenderWithProviders<PendingPage>();

        cut.WaitForAssertion(() => Assert.Equal([_alicesRequest, _adminsRequest], Serials(cut)), Patience);
        Assert.Matches("^APR-[0-9A-F]{16}$", cut.Find($"[data-testid=pending-request-{_alicesRequest}]").TextContent.Trim());
        Assert.Equal("alice@default", cut.Find($"[data-testid=pending-owner-{_alicesRequest}]").TextContent.Trim());
        Assert.Contains("CN=alice", cut.Markup); // the subject asked for, shown while it waits
        Assert.False(cut.Find($"[data-testid=pending-approve-{_alicesRequest}]").HasAttribute("disabled"));
        Assert.False(cut.Find($"[data-testid=pending-deny-{_alicesRequest}]").HasAttribute("disabled"));
        Assert.True(cut.Find($"[data-testid=pending-approve-{_adminsRequest}]").HasAttribute("disabled"));
        Assert.True(cut.Find($"[data-testid=pending-deny-{_adminsRequest}]").HasAttribute("disabled"));
        Assert.Contains("another admin decides it", cut.Find($"[data-testid=pending-own-{_adminsRequest}]").TextContent);
        Assert.Empty(cut.FindAll($"[data-testid=pending-own-{_alicesRequest}]"));
    }

    [Fact]
    public async Task Approve_Click_IssuesRemovesFromListAndSaysSo()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<PendingPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Serials(cut).Count), Patience);

        cut.Find($"[data-testid=pending-approve-{_alicesRequest}]").Click();

        cut.WaitForAssertion(() => Assert.Equal([_adminsRequest], Serials(cut)), Patience);
        Assert.Contains($"Approved: {_alicesRequest} now holds certificate", Snackbar(cut).TextContent);
        var token = await TokenAsync(_alicesRequest);
        Assert.Equal(RolloutState.Enrolled, token.RolloutState);
        Assert.NotNull(token.CertificatePem);
    }

    [Fact]
    public async Task Deny_WithReason_DeniesAndRemovesFromList()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<PendingPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Serials(cut).Count), Patience);

        cut.Find($"[data-testid=pending-deny-{_alicesRequest}]").Click();
        cut.WaitForElement("[data-testid=deny-submit]", Patience);
        cut.Find("[data-testid=deny-reason]").Change("Laptops get the device template.");
        cut.Find("[data-testid=deny-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal([_adminsRequest], Serials(cut)), Patience);
        Assert.Empty(cut.FindAll("[data-testid=deny-dialog]"));
        Assert.Contains($"Denied: {_alicesRequest}.", Snackbar(cut).TextContent);
        var token = await TokenAsync(_alicesRequest);
        Assert.Equal((RolloutState.Denied, "Laptops get the device template."), (token.RolloutState, token.FailureMessage));
    }

    [Fact]
    public async Task Deny_WithoutReason_KeepsDialogWithMessageAndRequestPending()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<PendingPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Serials(cut).Count), Patience);

        cut.Find($"[data-testid=pending-deny-{_alicesRequest}]").Click();
        cut.WaitForElement("[data-testid=deny-submit]", Patience);
        cut.Find("[data-testid=deny-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Enter the reason the requester will see.", cut.Find("[data-testid=deny-dialog]").TextContent), Patience);
        Assert.Equal(RolloutState.Pending, (await TokenAsync(_alicesRequest)).RolloutState);
    }

    [Fact]
    public async Task Render_NothingPending_SaysSo()
    {
        await using (var db = Core.NewDb())
        {
            await db.Tokens.Where(t => t.RolloutState == RolloutState.Pending).ExecuteDeleteAsync();
        }
        LogInAs(PortalRoles.Admin);

        var cut = RenderWithProviders<PendingPage>();

        cut.WaitForAssertion(() => Assert.Contains("No requests wait for a decision.", cut.Find("[data-testid=pending-empty]").TextContent), Patience);
    }

    private static List<string> Serials(IRenderedComponent<ContainerFragment> cut) =>
        cut.FindAll("[data-testid=pending-serial]").Select(e => e.TextContent.Trim()).ToList();

    private static IElement Snackbar(IRenderedComponent<ContainerFragment> cut) => cut.Find(".mud-snackbar");

    private async Task<string> RequestAsync(Actor actor, string? forUser, string description)
    {
        var result = await Core.InScopeAsync(sp => sp.GetRequiredService<EnrolTokenCommand>().ExecuteAsync(actor, new EnrolmentRequest
        {
            UserName = forUser, CaName = "approvalCA", Csr = TestCsrs.Rsa("alice"), Description = description,
        }));
        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(RolloutState.Pending, result.Value.Token.RolloutState);
        return result.Value.Token.Serial;
    }

    private async Task<CertificateToken> TokenAsync(string serial)
    {
        await using var db = Core.NewDb();
        return await db.Tokens.AsNoTracking().SingleAsync(t => t.Serial == serial);
    }

    private async Task ArrangeUserAsync(string name, string role)
    {
        var result = await Core.InScopeAsync(sp => sp.GetRequiredService<CreateUserCommand>()
            .ExecuteAsync(Actor.System, new NewUser(name, "User-Passw0rd!", null, null, role)));
        Assert.True(result.IsSuccess, result.Error?.Message);
    }
}
