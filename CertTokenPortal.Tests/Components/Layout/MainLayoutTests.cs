using Bunit;
using CertTokenPortal.Components.Layout;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CertTokenPortal.Tests.Components.Layout;

[Trait("Category", "Component")]
public sealed class MainLayoutTests : PortalComponentTest
{
    private static readonly string[] Everything =
        ["nav-dashboard", "nav-tokens", "nav-enrol", "nav-my", "nav-ca", "nav-users", "nav-resolvers", "nav-policies", "nav-pending", "nav-notifications", "nav-audit"];

    public static TheoryData<string, string[]> NavigationByRole => new()
    {
        { PortalRoles.Admin, Everything },
        // Helpdesk may view everything an admin manages (tokens, CAs, users, policies, audit); what differs are the
        // actions; deciding pending requests and the mail settings are an admin's alone.
        { PortalRoles.Helpdesk, Everything.Where(l => l is not ("nav-pending" or "nav-notifications")).ToArray() },
        // End users only enrol and look after their own certificates.
        { PortalRoles.User, ["nav-enrol", "nav-my"] },
    };

    [Theory]
    [MemberData(nameof(NavigationByRole))]
    public void Render_LoggedInRole_ShowsOnlyTheLinksTheRoleMayUse(string role, string[] expected)
    {
        LogInAs(role);

        var layout = Context.Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));

        var links = layout.FindAll("[data-testid^=nav-]").Select(e => e.GetAttribute("data-testid")).ToList();
        Assert.Equal(expected, links);
    }

    [Theory]
    [InlineData(PortalRoles.Admin, "admin")]
    [InlineData(PortalRoles.Helpdesk, "helen")]
    [InlineData(PortalRoles.User, "ulla")]
    public void Render_LoggedIn_ShowsUserRoleBodyAndCircuitMarker(string role, string userName)
    {
        LogInAs(role, userName);

        var layout = Context.Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));

        Assert.Contains(userName, layout.Find("[data-testid=current-user]").TextContent);
        Assert.Equal(role, layout.Find("[data-testid=current-role]").TextContent.Trim());
        Assert.NotEmpty(layout.FindAll("[data-testid=logout]"));
        Assert.Contains("page body", layout.Markup);
        Assert.NotEmpty(layout.FindAll("#circuit-ready"));
    }

    [Fact]
    public void Render_PageThrows_ShowsPlainMessageWithoutDetails()
    {
        LogInAs(PortalRoles.Admin);

        var layout = Context.Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b =>
        {
            b.OpenComponent<Throwing>(0);
            b.CloseComponent();
        })));

        Assert.Contains("Something went wrong", layout.Find("[data-testid=page-error]").TextContent);
        Assert.DoesNotContain(Throwing.Secret, layout.Markup);
        Assert.DoesNotContain("at CertTokenPortal", layout.Markup);
    }

    [Fact]
    public async Task Render_DialogButtonThrows_DialogClosedWithPlainMessageAndPageStillThere()
    {
        LogInAs(PortalRoles.Admin);
        var layout = Context.Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));

        await layout.InvokeAsync(() => Context.Services.GetRequiredService<IDialogService>().ShowAsync<ThrowingDialog>("Broken"));
        layout.Find("[data-testid=throwing-button]").Click();

        Assert.Contains("Something went wrong in that dialog", layout.Find("[data-testid=dialog-error]").TextContent);
        Assert.Empty(layout.FindAll("[data-testid=throwing-button]"));
        Assert.DoesNotContain(Throwing.Secret, layout.Markup);
        Assert.Contains("page body", layout.Markup);
        Assert.NotEmpty(layout.FindAll("[data-testid=nav-tokens]"));
    }

    /// <summary>A dialog whose only button fails as a bug would.</summary>
    private sealed class ThrowingDialog : ComponentBase
    {
        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "data-testid", "throwing-button");
            builder.AddAttribute(2, "onclick", EventCallback.Factory.Create(this, () => throw new InvalidOperationException(Throwing.Secret)));
            builder.CloseElement();
        }
    }

    private sealed class Throwing : ComponentBase
    {
        public const string Secret = "connection string with a password";

        protected override void OnInitialized() => throw new InvalidOperationException(Secret);
    }
}
