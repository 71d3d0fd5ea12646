using System.Security.Cryptography.X509Certificates;
using AngleSharp.Dom;
using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Core.CaConnectors.Administration;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using EnrolPage = CertTokenPortal.Components.Pages.Enrol.Enrol;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages.Enrol;

[Trait("Category", "Component")]
public sealed class EnrolTests : PortalComponentTest
{

    public override async Task InitializeAsync()
    {
        await UseCoreAsync();
        await Core.CreateUserAsync("alice");
        await Core.CreateUserAsync("ulla");
    }

    [Fact]
    public void Render_LoginPending_ShowsLoading()
    {
        LogInPending();

        var cut = RenderWithProviders<EnrolPage>();

        Assert.NotEmpty(cut.FindAll("[data-testid=enrol-loading]"));
        Assert.Empty(cut.FindAll("[data-testid=enrol-stepper]"));
    }

    [Fact]
    public void Render_Helpdesk_StartsAtMethodWithDefaultCaAndTemplatePreset()
    {
        LogInAs(PortalRoles.Helpdesk);

        var cut = RenderWithProviders<EnrolPage>();
        cut.WaitForElement("[data-testid=enrol-method-csr]", Patience);
        Assert.Contains("Upload or paste the certificate request", NextRefused(cut));
        PasteCsr(cut, TestCsrs.Rsa("preset"));
        cut.WaitForElement("[data-testid=csr-preview]", Patience);
        Next(cut);

        cut.WaitForElement("input[data-testid=enrol-template-user]:checked", Patience);
        Assert.Equal("localCA · CN=CertTokenPortal Root CA", Text(cut, "enrol-ca"));
        Assert.Contains("Valid for 365 days", cut.Find("[data-testid=enrol-template-card-user]").TextContent);
    }

    [Fact]
    public void CsrPasted_Valid_ShowsSubjectSansKeyAndValidSignature()
    {
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<EnrolPage>();
        cut.WaitForElement("[data-testid=csr-text]", Patience);

        PasteCsr(cut, TestCsrs.Rsa("pasted", "pasted.example.test"));

        cut.WaitForAssertion(() => Assert.Equal("CN=pasted", Text(cut, "csr-subject")), Patience);
        Assert.Equal("DNS:pasted.example.test", Text(cut, "csr-sans"));
        Assert.Equal("RSA 2048", Text(cut, "csr-key"));
        Assert.Equal("Signature valid", Text(cut, "csr-signature"));
        Assert.Empty(cut.FindAll("[data-testid=csr-error]"));
    }

    [Fact]
    public async Task CsrPasted_Tampered_SaysWhyAndNextStaysOnMethod()
    {
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<EnrolPage>();
        cut.WaitForElement("[data-testid=csr-text]", Patience);

        PasteCsr(cut, TestCsrs.Tampered("tampered"));
        cut.WaitForAssertion(() => Assert.Contains("signature of the certificate request does not verify", Text(cut, "csr-error")), Patience);
        Assert.Contains("does not verify", NextRefused(cut));
        Assert.NotEmpty(cut.FindAll("[data-testid=csr-text]"));
        Assert.Empty(cut.FindAll("[data-testid=enrol-ca]"));
        Assert.Empty(await Core.TokensAsync());
    }

    [Fact]
    public async Task CsrPasted_Certificate_SaysChooseUploadCertificateAndSavesNothing()
    {
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<EnrolPage>();
        cut.WaitForElement("[data-testid=csr-text]", Patience);

        PasteCsr(cut, TestCsrs.SelfSignedCertificate("pasted-cert"));

        cut.WaitForAssertion(() => Assert.Contains("This is a certificate, not a request: choose Upload certificate", Text(cut, "csr-error")), Patience);
        Assert.Contains("choose Upload certificate", NextRefused(cut));
        Assert.Empty(await Core.TokensAsync());
    }

    [Fact]
    public void CsrFileUploaded_WeakKey_SaysWhy()
    {
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<EnrolPage>();
        cut.WaitForElement("[data-testid=csr-text]", Patience);

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(TestCsrs.WeakRsa1024("weak"), "weak.csr"));

        cut.WaitForAssertion(() => Assert.Contains("1024 bits; at least 2048 bits are required", Text(cut, "csr-error")), Patience);
        Assert.Equal("weak.csr", Text(cut, "csr-file-name"));
    }

    [Fact]
    public async Task Enrol_HelpdeskUploadsCsrForAlice_SavesTokenAndShowsCertificate()
    {
        LogInAs(PortalRoles.Helpdesk);
        var cut = RenderWithProviders<EnrolPage>();
        cut.WaitForElement("[data-testid=csr-text]", Patience);

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(TestCsrs.Rsa("alice"), "alice.csr"));
        cut.WaitForElement("[data-testid=csr-preview]", Patience);
        Next(cut);
        cut.WaitForElement("[data-testid=enrol-template-user]", Patience);
        Next(cut);
        Assert.Contains("Choose the user", NextRefused(cut));
        ChooseOwner(cut, "ali", "alice");
        Next(cut);
        // A CSR's key stays where it was made: no protection step, straight to the review.
        Assert.Equal("review", StepName(cut));
        cut.WaitForAssertion(() => Assert.Equal("alice · realm default", Text(cut, "review-owner")), Patience);
        cut.Find("[data-testid=enrol-description]").Change("Alice's laptop");
        Assert.Equal("localCA · user", Text(cut, "review-ca"));
        cut.Find("[data-testid=enrol-submit]").Click();

        cut.WaitForElement("[data-testid=enrol-result-enrolled]", Patience);
        var serial = cut.Find("[data-testid=enrol-result]").GetAttribute("data-serial")!;
        Assert.Equal("CN=alice", Text(cut, "cert-subject")); // the user template takes the owner's names
        Assert.NotEmpty(cut.FindAll("[data-testid=download-chain]"));
        Assert.Empty(cut.FindAll("[data-testid=enrol-pkcs12]"));
        var token = await Core.FindTokenAsync(serial);
        Assert.Equal(("alice", "Alice's laptop", RolloutState.Enrolled, EnrolmentModes.Request),
            (token?.OwnerUserName, token?.Description, token?.RolloutState, token?.EnrolmentMode));
    }

    [Fact]
    public async Task Enrol_GeneratedKeyWithoutPin_ShowsPasswordOnceAndStreamsPkcs12ThatOpensWithIt()
    {
        LogInAs(PortalRoles.Helpdesk);
        var saveFile = Context.JSInterop.SetupVoid("portal.saveFile", _ => true);
        var cut = RenderWithProviders<EnrolPage>();
        cut.WaitForElement("[data-testid=enrol-method-genkey]", Patience);

        cut.Find("[data-testid=enrol-method-genkey]").Click();
        cut.WaitForElement("[data-testid=enrol-key-ec-P-256]", Patience).Click();
        Next(cut);
        Next(cut);
        ChooseOwner(cut, "alice", "alice");
        Next(cut);
        // Staff enrolling for someone else start with the random password.
        Assert.True(cut.WaitForElement("input[data-testid=enrol-random-password]", Patience).HasAttribute("checked"));
        Next(cut);
        cut.WaitForAssertion(() => Assert.Equal("generate a EC P-256 key here", Text(cut, "review-method")), Patience);
        cut.Find("[data-testid=enrol-submit]").Click();

        cut.WaitForElement("[data-testid=enrol-password]", Patience);
        var password = Text(cut, "enrol-password");
        Assert.Contains("not shown again", Text(cut, "enrol-password-warning"));
        Assert.Contains("You (helpdesk) cannot download it again.", Text(cut, "enrol-pkcs12-later"));
        var serial = cut.Find("[data-testid=enrol-result]").GetAttribute("data-serial")!;

        cut.Find("[data-testid=enrol-download-pkcs12]").Click();
        cut.WaitForAssertion(() => Assert.Single(saveFile.Invocations), Patience);
        var invocation = saveFile.Invocations.Single();
        Assert.Equal([$"{serial}.p12", "application/x-pkcs12"], invocation.Arguments.Take(2));
        var pkcs12 = await ReadStreamAsync(invocation.Arguments[2]);
        saveFile.SetVoidResult();
        using var opened = X509CertificateLoader.LoadPkcs12(pkcs12, password);
        Assert.True(opened.HasPrivateKey);
        Assert.Equal("CN=alice", opened.Subject);
        var token = await Core.FindTokenAsync(serial);
        Assert.Equal(opened.SerialNumber, token?.CertificateSerial);
        Assert.Null(token?.PinHash);
    }

    [Fact]
    public async Task Enrol_GeneratedKeyPinsDiffer_SaysSoAndSavesNothing()
    {
        LogInAs(PortalRoles.User, "ulla");
        var cut = RenderWithProviders<EnrolPage>();
        cut.WaitForElement("[data-testid=enrol-method-genkey]", Patience);

        cut.Find("[data-testid=enrol-method-genkey]").Click();
        Next(cut);
        Next(cut);
        Assert.Equal("protection", StepName(cut));
        cut.WaitForElement("[data-testid=enrol-pin]", Patience).Input("1234-abcd");
        cut.Find("[data-testid=enrol-pin-confirmation]").Input("1234-abce");
        Assert.Equal("The two PINs differ.", NextRefused(cut));
        Assert.Empty(cut.FindAll("[data-testid=enrol-submit]"));
        Assert.Empty(await Core.TokensAsync());
    }

    [Fact]
    public async Task Enrol_UserWithPin_IsOwnerWithoutPickerAndSubmitIsDisabledWhileWorking()
    {
        LogInAs(PortalRoles.User, "ulla");
        var cut = RenderWithProviders<EnrolPage>();
        cut.WaitForElement("[data-testid=enrol-method-genkey]", Patience);

        cut.Find("[data-testid=enrol-method-genkey]").Click();
        cut.WaitForElement("[data-testid=enrol-key-rsa-3072]", Patience).Click();
        Next(cut);
        Next(cut);
        // A user is the owner: no owner step; a user's key is protected by their own PIN unless they choose otherwise.
        Assert.Equal("protection", StepName(cut));
        Assert.Empty(cut.FindAll("[data-testid=enrol-owner]"));
        cut.WaitForElement("[data-testid=enrol-pin]", Patience).Input("my-secret-pin");
        cut.Find("[data-testid=enrol-pin-confirmation]").Input("my-secret-pin");
        Next(cut);
        cut.WaitForElement("[data-testid=enrol-submit]", Patience).Click();

        // An RSA 3072 key takes far longer to make than one render: the page is still working here.
        Assert.NotEmpty(cut.FindAll("[data-testid=enrol-progress]"));
        Assert.True(cut.Find("[data-testid=enrol-submit]").HasAttribute("disabled"));
        cut.WaitForElement("[data-testid=enrol-result-enrolled]", Patience);
        Assert.Empty(cut.FindAll("[data-testid=enrol-password]"));
        var token = Assert.Single(await Core.TokensAsync());
        Assert.Equal(("ulla", "RSA 3072"), (token.OwnerUserName, token.KeyDescription));
        Assert.True(TokenPins.Verify(token.PinHash, "my-secret-pin"));
    }

    [Fact]
    public async Task Enrol_CertificateUpload_ShowsSubjectIssuerValidityAndTracksIt()
    {
        var issued = await Core.EnrolCsrAsync("alice", "existing");
        await using (var db = Core.NewDb())
        {
            // The same certificate may be tracked again by a second token; the first one is removed to keep the count plain.
            db.Tokens.RemoveRange(db.Tokens);
            await db.SaveChangesAsync();
        }
        LogInAs(PortalRoles.User, "ulla");
        var cut = RenderWithProviders<EnrolPage>();
        cut.WaitForElement("[data-testid=enrol-method-certificate]", Patience);

        cut.Find("[data-testid=enrol-method-certificate]").Click();
        cut.WaitForElement("[data-testid=certificate-text]", Patience).Input(issued.CertificatePem!);

        cut.WaitForAssertion(() => Assert.Equal("CN=existing", Text(cut, "certificate-subject")), Patience);
        Assert.Equal(issued.Issuer, Text(cut, "certificate-issuer"));
        Next(cut);
        // No CA is asked and no key passes through the portal: from the certificate straight to the review.
        Assert.Equal("review", StepName(cut));
        Assert.Equal("ulla · realm default, yourself", Text(cut, "review-owner"));
        // An upload no policy holds goes to no CA: the review shows no route, as before uploads could wait.
        cut.WaitForAssertion(() => Assert.Equal("ulla holds 0; no limit applies", Text(cut, "review-quota")), Patience);
        Assert.Empty(cut.FindAll("[data-testid=review-route]"));
        cut.WaitForElement("[data-testid=enrol-submit]", Patience).Click();

        cut.WaitForElement("[data-testid=enrol-result-enrolled]", Patience);
        var token = Assert.Single(await Core.TokensAsync());
        Assert.Equal(("ulla", EnrolmentModes.Certificate, null), (token.OwnerUserName, token.EnrolmentMode, token.CaName));
    }

    [Fact]
    public async Task Enrol_CaGoneBeforeSubmit_ShowsCoreRefusalStaysOnReviewAndSavesNothing()
    {
        LogInAs(PortalRoles.Admin);
        var cut = RenderWithProviders<EnrolPage>();
        cut.WaitForElement("[data-testid=csr-text]", Patience);
        PasteCsr(cut, TestCsrs.Rsa("late"));
        cut.WaitForElement("[data-testid=csr-preview]", Patience);
        Next(cut);
        Next(cut);
        ChooseOwner(cut, "alice", "alice");
        Next(cut);
        cut.WaitForElement("[data-testid=enrol-submit]", Patience);
        var deleted = await Core.InScopeAsync(sp => sp.GetRequiredService<DeleteCaCommand>().ExecuteAsync(TestPki.Admin, "localCA"));
        Assert.True(deleted.IsSuccess, deleted.Error?.Message);

        cut.Find("[data-testid=enrol-submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("localCA", cut.Find(".mud-snackbar").TextContent), Patience);
        Assert.NotEmpty(cut.FindAll("[data-testid=enrol-submit]"));
        Assert.Empty(cut.FindAll("[data-testid=enrol-result]"));
        Assert.Empty(await Core.TokensAsync());
    }

    [Fact]
    public async Task Enrol_OwnerFromTheAddress_SkipsTheOwnerStepAndEnrolsForThem()
    {
        LogInAs(PortalRoles.Helpdesk);
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo("enrol?user=alice&realm=default");
        var cut = RenderWithProviders<EnrolPage>();
        cut.WaitForElement("[data-testid=enrol-method-genkey]", Patience);

        Assert.Equal("For alice · realm default", Text(cut, "enrol-for"));
        cut.Find("[data-testid=enrol-method-genkey]").Click();
        Next(cut);
        Next(cut);
        Assert.Equal("protection", StepName(cut));
        Next(cut);
        Assert.Equal("review", StepName(cut));
        Assert.Equal(3, Step(cut)); // method, CA, protection, review: no owner step
        Assert.Equal("alice · realm default", Text(cut, "review-owner"));
        cut.Find("[data-testid=enrol-submit]").Click();

        cut.WaitForElement("[data-testid=enrol-result-enrolled]", Patience);
        var token = Assert.Single(await Core.TokensAsync());
        Assert.Equal(("alice", "helen", EnrolmentModes.GenerateKey), (token.OwnerUserName, token.CreatedBy, token.EnrolmentMode));
        Assert.Null(token.PinHash); // the random password, shown once
        Assert.NotEmpty(Text(cut, "enrol-password"));
    }

    [Fact]
    public async Task Enrol_UnknownOwnerInTheAddress_SaysSoAndAsksForTheOwner()
    {
        LogInAs(PortalRoles.Helpdesk);
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo("enrol?user=nobody&realm=default");
        var cut = RenderWithProviders<EnrolPage>();
        cut.WaitForElement("[data-testid=enrol-method-csr]", Patience);

        cut.WaitForAssertion(() => Assert.Contains("There is no user 'nobody' in realm 'default'.", cut.Find(".mud-snackbar").TextContent), Patience);
        Assert.Empty(cut.FindAll("[data-testid=enrol-for]"));
        PasteCsr(cut, TestCsrs.Rsa("x"));
        cut.WaitForElement("[data-testid=csr-preview]", Patience);
        Next(cut);
        Next(cut);
        Assert.Equal("owner", StepName(cut));
        Assert.Empty(await Core.TokensAsync());
    }

    [Fact]
    public void Render_UserWithOwnerInTheAddress_StaysTheirOwnOwner()
    {
        LogInAs(PortalRoles.User, "ulla");
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo("enrol?user=alice&realm=default");
        var cut = RenderWithProviders<EnrolPage>();
        cut.WaitForElement("[data-testid=enrol-method-certificate]", Patience);

        Assert.Empty(cut.FindAll("[data-testid=enrol-for]"));
        Assert.Empty(cut.FindAll(".mud-snackbar"));
    }

    [Fact]
    public async Task ReviewStep_QuotaReached_ShowsCountAndDisablesEnrolWithReason()
    {
        await SetPolicyAsync("quota", "max_token_per_user=1");
        await Core.EnrolCsrAsync("ulla", "first");
        var cut = ReviewCsrAsUlla();

        cut.WaitForAssertion(() => Assert.Equal("ulla holds 1 of 1 allowed (policy 'quota')", Text(cut, "review-quota")), Patience);
        Assert.Equal("localCA · user: issued at once", Text(cut, "review-route"));
        var submit = cut.Find("[data-testid=enrol-submit]");
        Assert.True(submit.HasAttribute("disabled"));
        Assert.Equal("enrol-refusal", submit.GetAttribute("aria-describedby"));
        Assert.Contains("Policy 'quota' allows ulla at most 1 certificate token(s)", Text(cut, "review-refusal"));
        Assert.Single(await Core.TokensAsync());
    }

    [Fact]
    public async Task ReviewStep_PolicyRequiresAnotherCa_DisablesEnrolNamingTheCaAndOffersIt()
    {
        await Core.EnrolCsrAsync("ulla", "first");
        var approval = await Core.InScopeAsync(sp => sp.GetRequiredService<CertTokenPortal.Core.CaConnectors.Approval.CreateApprovalCaCommand>()
            .ExecuteAsync(TestPki.Admin, "approvalCA", "localCA"));
        Assert.True(approval.IsSuccess, approval.Error?.Message);
        await SetPolicyAsync("gated", "max_token_per_user=3, certificate_ca_connector=approvalCA");
        var cut = ReviewCsrAsUlla();

        cut.WaitForAssertion(() => Assert.Equal("ulla holds 1 of 3 allowed (policy 'gated')", Text(cut, "review-quota")), Patience);
        Assert.Contains("Policy 'gated' requires the CA 'approvalCA'; 'localCA' may not be used.", Text(cut, "review-refusal"));
        Assert.True(cut.Find("[data-testid=enrol-submit]").HasAttribute("disabled"));

        cut.Find("[data-testid=review-use-ca]").Click();

        cut.WaitForAssertion(() => Assert.StartsWith("approvalCA · user: waits for an approver", Text(cut, "review-route")), Patience);
        Assert.Empty(cut.FindAll("[data-testid=review-refusal]"));
        Assert.False(cut.Find("[data-testid=enrol-submit]").HasAttribute("disabled"));
        Assert.Single(await Core.TokensAsync());
    }

    [Fact]
    public async Task ReviewStep_UploadUnderApprovalPolicy_SaysItWaitsForAnApprover()
    {
        var issued = await Core.EnrolCsrAsync("ulla", "existing");
        var approval = await Core.InScopeAsync(sp => sp.GetRequiredService<CertTokenPortal.Core.CaConnectors.Approval.CreateApprovalCaCommand>()
            .ExecuteAsync(TestPki.Admin, "approvalCA", "localCA"));
        Assert.True(approval.IsSuccess, approval.Error?.Message);
        await SetPolicyAsync("gated", "certificate_ca_connector=approvalCA");
        LogInAs(PortalRoles.User, "ulla");
        var cut = RenderWithProviders<EnrolPage>();
        cut.WaitForElement("[data-testid=enrol-method-certificate]", Patience).Click();
        cut.WaitForElement("[data-testid=certificate-text]", Patience).Input(issued.CertificatePem!);
        cut.WaitForElement("[data-testid=certificate-subject]", Patience);
        Next(cut);
        Assert.Equal("review", StepName(cut));

        cut.WaitForAssertion(() => Assert.Equal(
            "approvalCA: waits for an approver (policy 'gated'); the certificate is tracked once the request is approved",
            Text(cut, "review-route")), Patience);
        Assert.Empty(cut.FindAll("[data-testid=review-refusal]"));
        Assert.False(cut.Find("[data-testid=enrol-submit]").HasAttribute("disabled"));
        Assert.Single(await Core.TokensAsync());
    }

    [Fact]
    public async Task ReviewStep_UnderQuota_ShowsCountRouteAndEnrolEnabled()
    {
        await SetPolicyAsync("quota", "max_token_per_user=3");
        await Core.EnrolCsrAsync("ulla", "first");
        var cut = ReviewCsrAsUlla();

        cut.WaitForAssertion(() => Assert.Equal("ulla holds 1 of 3 allowed (policy 'quota')", Text(cut, "review-quota")), Patience);
        Assert.Equal("localCA · user: issued at once", Text(cut, "review-route"));
        Assert.False(cut.Find("[data-testid=enrol-submit]").HasAttribute("disabled"));
        Assert.Empty(cut.FindAll("[data-testid=review-refusal]"));
    }

    private IRenderedComponent<ContainerFragment> ReviewCsrAsUlla()
    {
        LogInAs(PortalRoles.User, "ulla");
        var cut = RenderWithProviders<EnrolPage>();
        cut.WaitForElement("[data-testid=csr-text]", Patience);
        PasteCsr(cut, TestCsrs.Rsa("ulla"));
        cut.WaitForElement("[data-testid=csr-preview]", Patience);
        Next(cut);
        Next(cut);
        Assert.Equal("review", StepName(cut));
        return cut;
    }

    private async Task SetPolicyAsync(string name, string action)
    {
        var saved = await Core.InScopeAsync(sp => sp.GetRequiredService<CertTokenPortal.Core.Policies.SetPolicyCommand>()
            .ExecuteAsync(TestPki.Admin, new CertTokenPortal.Core.Policies.PolicyRequest(name, action)));
        Assert.True(saved.IsSuccess, saved.Error?.Message);
    }

    /// <summary>Clicks "Next" and waits for the next step (MudBlazor's buttons run their handler asynchronously).</summary>
    private static void Next(IRenderedComponent<ContainerFragment> cut)
    {
        var step = Step(cut);
        cut.Find("[data-testid=enrol-next]").Click();
        cut.WaitForAssertion(() => Assert.Equal(step + 1, Step(cut)), Patience);
    }

    /// <summary>Clicks "Next" where the wizard must refuse; the problem it shows says why.</summary>
    private static string NextRefused(IRenderedComponent<ContainerFragment> cut)
    {
        var step = Step(cut);
        cut.Find("[data-testid=enrol-next]").Click();
        var problem = Problem(cut);
        Assert.Equal(step, Step(cut));
        return problem;
    }

    private static int Step(IRenderedComponent<ContainerFragment> cut) =>
        int.Parse(cut.Find("[data-testid=enrol-wizard]").GetAttribute("data-step")!);

    private static string StepName(IRenderedComponent<ContainerFragment> cut) =>
        cut.Find("[data-testid=enrol-wizard]").GetAttribute("data-step-name")!;

    private static void PasteCsr(IRenderedComponent<ContainerFragment> cut, string csr) => cut.Find("[data-testid=csr-text]").Input(csr);

    /// <summary>The problem the wizard shows after "Next"; MudBlazor's buttons run their handler asynchronously, hence the wait.</summary>
    private static string Problem(IRenderedComponent<ContainerFragment> cut) =>
        cut.WaitForElement("[data-testid=enrol-step-problem]", Patience).TextContent.Trim();

    private static string Text(IRenderedComponent<ContainerFragment> cut, string testId) => cut.Find($"[data-testid={testId}]").TextContent.Trim();

    private static void ChooseOwner(IRenderedComponent<ContainerFragment> cut, string typed, string userName)
    {
        cut.WaitForElement("input[data-testid=enrol-owner]", Patience).Input(typed);
        cut.WaitForElement($"[data-testid=enrol-owner-option][data-user={userName}]", Patience);
        cut.Find($"[data-testid=enrol-owner-option][data-user={userName}]").Closest(".mud-list-item")!.Click();
        cut.WaitForAssertion(() => Assert.Equal($"{userName} · realm default", cut.Find("input[data-testid=enrol-owner]").GetAttribute("value")), Patience);
    }

    private static async Task<byte[]> ReadStreamAsync(object? argument)
    {
        var reference = Assert.IsType<DotNetStreamReference>(argument);
        using var copy = new MemoryStream();
        await reference.Stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
