using Bunit;
using Bunit.Rendering;
using Bunit.TestDoubles;
using CertTokenPortal.Components.Pages.Enrol;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Enrolment;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task Leave_NothingTaken_AsksAndStaysWhenCancelled()
    {
        await Core.CreateUserAsync("alice");
        var cut = Render(await Core.EnrolAsync(new EnrolmentRequest { UserName = "alice", CaName = "localCA", GenerateKey = true, KeyType = "ec" }));
        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        var before = navigation.Uri;

        await cut.InvokeAsync(() => navigation.NavigateTo("tokens"));

        var question = cut.WaitForElement("[data-testid=confirm-message]", Patience).TextContent;
        Assert.Contains("You have not taken the PKCS#12 file and its password yet.", question);
        Assert.Contains("only the owner and admins can download the file later", question);
        cut.Find("[data-testid=confirm-cancel]").Click();
        Assert.Equal(NavigationState.Prevented, (await NavigationOutcomeAsync(navigation)).State);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=confirm-message]")), Patience);
        Assert.Equal(before, navigation.Uri);
    }

    [Fact]
    public async Task Leave_FileDownloadedPasswordNotCopied_StillAsks()
    {
        await Core.CreateUserAsync("alice");
        var cut = Render(await Core.EnrolAsync(new EnrolmentRequest { UserName = "alice", CaName = "localCA", GenerateKey = true, KeyType = "ec" }));
        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        cut.Find("[data-testid=enrol-download-pkcs12]").Click();
        cut.WaitForElement("[data-testid=enrol-pkcs12-downloaded]", Patience);

        await cut.InvokeAsync(() => navigation.NavigateTo("tokens"));

        Assert.Contains("You have not taken the one-time password yet.", cut.WaitForElement("[data-testid=confirm-message]", Patience).TextContent);
        cut.Find("[data-testid=confirm-ok]").Click();

        var outcome = await NavigationOutcomeAsync(navigation);
        Assert.Equal((NavigationState.Succeeded, "tokens"), (outcome.State, outcome.Uri));
    }

    [Fact]
    public async Task Leave_FileDownloadedAndPasswordCopied_GoesWithoutAsking()
    {
        Context.JSInterop.Setup<bool>("portal.copyText", _ => true).SetResult(true);
        await Core.CreateUserAsync("alice");
        var cut = Render(await Core.EnrolAsync(new EnrolmentRequest { UserName = "alice", CaName = "localCA", GenerateKey = true, KeyType = "ec" }));
        var navigation = Context.Services.GetRequiredService<NavigationManager>();
        cut.Find("[data-testid=enrol-download-pkcs12]").Click();
        cut.Find("[data-testid=enrol-password-copy]").Click();
        cut.WaitForElement("[data-testid=enrol-password-copied]", Patience);

        await cut.InvokeAsync(() => navigation.NavigateTo("tokens"));

        var outcome = await NavigationOutcomeAsync(navigation);
        Assert.Equal((NavigationState.Succeeded, "tokens"), (outcome.State, outcome.Uri));
        Assert.Empty(cut.FindAll("[data-testid=confirm-message]"));
    }

    [Fact]
    public async Task Render_Pkcs12ForHelpdesk_SaysWhoCanDownloadAgainAndWithWhichPassword()
    {
        await Core.CreateUserAsync("alice");
        var cut = Render(await Core.EnrolAsync(new EnrolmentRequest { UserName = "alice", CaName = "localCA", GenerateKey = true, KeyType = "ec" }));

        var later = System.Text.RegularExpressions.Regex.Replace(cut.Find("[data-testid=enrol-pkcs12-later]").TextContent, @"\s+", " ");

        Assert.Contains("only alice (from My certificates) and admins can download it again", later);
        Assert.Contains("it opens with the password above", later);
        Assert.Contains("You (helpdesk) cannot download it again.", later);
    }

    /// <summary>
    /// How the first navigation ended, as bUnit's navigation manager records it (pushed before the address changes).
    /// Neither the address nor <c>LocationChanged</c> can be waited for here: when a NavigationLock's handler finishes
    /// later (after the dialog), bUnit resumes the navigation off the renderer's dispatcher, sets the address and raises
    /// <c>LocationChanged</c> there; MudDialogProvider's handler then throws (StateHasChanged off the dispatcher), the
    /// exception is lost in bUnit's discarded task, later subscribers never hear of it, and nothing renders again, so
    /// <c>WaitForAssertion</c> (which checks again only after a render) saw the new address only by luck.
    /// </summary>
    private static async Task<NavigationHistory> NavigationOutcomeAsync(NavigationManager navigation)
    {
        var history = ((BunitNavigationManager)navigation).History;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (history.Count == 0)
        {
            if (waited.Elapsed > Patience)
            {
                throw new TimeoutException($"The navigation did not end within {Patience.TotalSeconds} s.");
            }
            await Task.Delay(20);
        }
        return history.First();
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
