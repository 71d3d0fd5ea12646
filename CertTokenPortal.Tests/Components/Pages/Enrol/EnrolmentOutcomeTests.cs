using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Components.Pages.Enrol;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Tests.Infrastructure;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages.Enrol;

/// <summary>What the wizard shows once Core has answered: every rollout state, and the one-time password.</summary>
[Trait("Category", "Component")]
public sealed class EnrolmentOutcomeTests : PortalComponentTest
{

    public override async Task InitializeAsync()
    {
        await UseCoreAsync();
        LogInAs(PortalRoles.Helpdesk);
    }

    [Fact]
    public void Render_Pending_SaysItWaitsWithTheRequestId()
    {
        var cut = Render(Undecided(RolloutState.Pending, "REQ-7", null));

        Assert.Contains("waits for the CA's decision", cut.Find("[data-testid=enrol-result-pending]").TextContent);
        Assert.Equal("REQ-7", cut.Find("[data-testid=enrol-result-request-id]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=certificate-fields]"));
    }

    [Theory]
    [InlineData(RolloutState.Denied, "denied", "Not for this department.")]
    [InlineData(RolloutState.Failed, "failed", "The CA 'remote' failed: timeout")]
    public void Render_DeniedOrFailed_ShowsTheCasMessage(RolloutState state, string name, string message)
    {
        var cut = Render(Undecided(state, "REQ-8", message));

        Assert.Equal(message, cut.Find($"[data-testid=enrol-result-{name}] [data-testid=enrol-result-message]").TextContent);
        Assert.Contains("REQ-8", cut.Find($"[data-testid=enrol-result-{name}]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=download-pem]"));
    }

    [Fact]
    public async Task CopyPassword_BrowserAllows_CopiesExactlyThePassword()
    {
        var copy = Context.JSInterop.Setup<bool>("portal.copyText", _ => true);
        copy.SetResult(true);
        await Core.CreateUserAsync("alice");
        var result = await Core.EnrolAsync(new EnrolmentRequest { UserName = "alice", CaName = "localCA", GenerateKey = true, KeyType = "ec" });
        var cut = Render(result);

        cut.Find("[data-testid=enrol-password-copy]").Click();

        cut.WaitForAssertion(() => Assert.Contains("The password is copied.", cut.Find(".mud-snackbar").TextContent), Patience);
        Assert.Equal(result.Pkcs12Password, copy.Invocations.Single().Arguments[0]);
        Assert.Equal(result.Pkcs12Password, cut.Find("[data-testid=enrol-password]").TextContent);
    }

    [Fact]
    public async Task CopyPassword_BrowserRefuses_SaysToCopyByHand()
    {
        Context.JSInterop.Setup<bool>("portal.copyText", _ => true).SetResult(false);
        await Core.CreateUserAsync("alice");
        var cut = Render(await Core.EnrolAsync(new EnrolmentRequest { UserName = "alice", CaName = "localCA", GenerateKey = true, KeyType = "ec" }));

        cut.Find("[data-testid=enrol-password-copy]").Click();

        cut.WaitForAssertion(() => Assert.Contains("copy it by hand", cut.Find(".mud-snackbar").TextContent), Patience);
    }

    private IRenderedComponent<ContainerFragment> Render(EnrolmentResult result) =>
        RenderWithProviders<EnrolmentOutcome>(new Dictionary<string, object?>
        {
            [nameof(EnrolmentOutcome.Result)] = result,
            [nameof(EnrolmentOutcome.Actor)] = TestPki.Helpdesk,
        });

    private static EnrolmentResult Undecided(RolloutState state, string requestId, string? message) =>
        new(TokenView.From(new CertificateToken
        {
            Serial = "CRT00000B0B", OwnerUserName = "alice", OwnerRealm = "default", RolloutState = state, RequestId = requestId,
            FailureMessage = message, EnrolmentMode = EnrolmentModes.Request, CaName = "remote", TemplateName = "user",
        }));
}
