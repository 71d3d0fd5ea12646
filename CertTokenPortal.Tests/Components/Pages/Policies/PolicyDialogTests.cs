using AngleSharp.Dom;
using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Components.Pages.Policies;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Pages.Policies;

/// <summary>
/// The structured policy editor on the real Core (CA "localCA" with templates "user" and "server"): each action a field
/// of its kind, checked by Core's own parser, and the free-text form for experts.
/// </summary>
[Trait("Category", "Component")]
public sealed class PolicyDialogTests : PortalComponentTest
{
    public override async Task InitializeAsync()
    {
        await UseCoreAsync();
        LogInAs(PortalRoles.Admin);
    }

    [Fact]
    public async Task Save_EveryInputKind_StoresWhatTheApiWouldStore()
    {
        var (cut, dialog) = await OpenAsync();
        cut.Find("[data-testid=policy-field-name] input, input[data-testid=policy-field-name]").Change("structured");

        AddAction(cut, PolicyActionKeys.CaConnector); // a CA choice: the only CA is chosen at once
        Assert.Equal("localCA", cut.Find($"[data-testid=policy-field-{PolicyActionKeys.CaConnector}]").TextContent.Trim());
        AddAction(cut, PolicyActionKeys.Template);
        Choose(cut, $"policy-field-{PolicyActionKeys.Template}", "server");
        AddAction(cut, PolicyActionKeys.AllowedTemplates);
        Check(cut, $"policy-field-{PolicyActionKeys.AllowedTemplates}-user");
        Check(cut, $"policy-field-{PolicyActionKeys.AllowedTemplates}-server");
        AddAction(cut, PolicyActionKeys.MaxTokens);
        Field(cut, PolicyActionKeys.MaxTokens).Change("2");
        AddAction(cut, PolicyActionKeys.UserMayRevoke); // a switch starts on
        Field(cut, PolicyActionKeys.UserMayRevoke).Change(false);
        AddAction(cut, PolicyActionKeys.KeyRules);
        Field(cut, PolicyActionKeys.KeyRules).Change("rsa>=3072 ec:P-256,P-384");
        AddAction(cut, PolicyActionKeys.RequireAttestation);
        Choose(cut, $"policy-field-{PolicyActionKeys.RequireAttestation}", "verify");
        cut.Find("[data-testid=policy-submit]").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")), Patience);
        Assert.False((await dialog.Result)!.Canceled);
        await using var db = Core.NewDb();
        var saved = await db.Policies.SingleAsync(p => p.Name == "structured");
        var expected = PolicyActions.Parse("certificate_ca_connector=localCA, certificate_template=server, allowed_templates=server user, " +
            "max_token_per_user=2, user_may_revoke=false, key_rules='rsa>=3072 ec:P-256,P-384', certificate_require_attestation=verify").Value.Canonical;
        Assert.Equal(expected, saved.Action);
    }

    [Fact]
    public async Task Number_Negative_CoresMessageUnderTheFieldAndNothingSaved()
    {
        var (cut, _) = await OpenAsync();
        cut.Find("input[data-testid=policy-field-name], [data-testid=policy-field-name] input").Change("negative");
        AddAction(cut, PolicyActionKeys.MaxTokens);

        Field(cut, PolicyActionKeys.MaxTokens).Change("-1");
        cut.Find("[data-testid=policy-submit]").Click();

        var expected = PolicyActionFields.Check(PolicyActionKeys.MaxTokens, "-1")!.Message;
        Assert.Equal("max_token_per_user cannot be negative (-1); 0 forbids every new token.", expected);
        cut.WaitForAssertion(() => Assert.Equal(expected, ErrorUnder(cut, $"policy-field-{PolicyActionKeys.MaxTokens}")), Patience);
        Assert.Empty(cut.FindAll("[data-testid=policy-problem]"));
        Assert.Empty(cut.FindAll(".mud-snackbar"));
        await using var db = Core.NewDb();
        Assert.False(await db.Policies.AnyAsync(p => p.Name == "negative"));
    }

    [Fact]
    public async Task Text_BadKeyRules_CoresMessageUnderTheFieldAsSoonAsTyped()
    {
        var (cut, _) = await OpenAsync();
        AddAction(cut, PolicyActionKeys.KeyRules);

        Field(cut, PolicyActionKeys.KeyRules).Change("dsa>=1024");

        cut.WaitForAssertion(() => Assert.Equal(PolicyActionFields.Check(PolicyActionKeys.KeyRules, "dsa>=1024")!.Message,
            ErrorUnder(cut, $"policy-field-{PolicyActionKeys.KeyRules}")), Patience);
    }

    [Fact]
    public async Task Templates_NoneTicked_SaysSoUnderTheGroupAndNothingSaved()
    {
        var (cut, _) = await OpenAsync();
        cut.Find("input[data-testid=policy-field-name], [data-testid=policy-field-name] input").Change("no-templates");
        AddAction(cut, PolicyActionKeys.AllowedTemplates);

        cut.Find("[data-testid=policy-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal(PolicyActionFields.Check(PolicyActionKeys.AllowedTemplates, "")!.Message,
            cut.Find($"[data-testid=policy-field-{PolicyActionKeys.AllowedTemplates}-problem]").TextContent.Trim()), Patience);
        await using var db = Core.NewDb();
        Assert.False(await db.Policies.AnyAsync(p => p.Name == "no-templates"));
    }

    [Fact]
    public async Task Save_NoAction_AsksForOneAndSavesNothing()
    {
        var (cut, _) = await OpenAsync();
        cut.Find("input[data-testid=policy-field-name], [data-testid=policy-field-name] input").Change("empty");

        cut.Find("[data-testid=policy-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Add at least one action.", ErrorUnder(cut, "policy-add-action")), Patience);
        await using var db = Core.NewDb();
        Assert.False(await db.Policies.AnyAsync(p => p.Name == "empty"));
    }

    [Fact]
    public async Task FreeText_ToggledBothWays_CarriesTheActions()
    {
        var (cut, _) = await OpenAsync();
        AddAction(cut, PolicyActionKeys.MaxTokens);
        Field(cut, PolicyActionKeys.MaxTokens).Change("4");

        cut.Find("[data-testid=policy-free-text]").Change(true);
        var text = cut.WaitForElement("[data-testid=policy-field-action]", Patience);
        Assert.Equal("max_token_per_user=4", text.GetAttribute("value") ?? text.TextContent);
        text.Change("max_token_per_user=4, user_may_revoke=false");
        cut.Find("[data-testid=policy-free-text]").Change(false);

        cut.WaitForElement($"[data-testid=policy-row-{PolicyActionKeys.UserMayRevoke}]", Patience);
        Assert.Equal("4", Field(cut, PolicyActionKeys.MaxTokens).GetAttribute("value"));
        Assert.False(Field(cut, PolicyActionKeys.UserMayRevoke).IsChecked());
    }

    [Fact]
    public async Task FreeText_UnknownKey_StaysTextAndSaysWhy()
    {
        var (cut, _) = await OpenAsync();
        cut.Find("[data-testid=policy-free-text]").Change(true);
        cut.WaitForElement("[data-testid=policy-field-action]", Patience).Change("max_tokens=2");

        cut.Find("[data-testid=policy-free-text]").Change(false);

        cut.WaitForAssertion(() => Assert.StartsWith("'max_tokens' is not an enrolment action", ErrorUnder(cut, "policy-field-action")), Patience);
        Assert.Empty(cut.FindAll("[data-testid=policy-add-action]"));
    }

    [Fact]
    public async Task Edit_StoredPolicy_OpensAsFieldsWithItsValues()
    {
        await Core.InScopeAsync(sp => sp.GetRequiredService<SetPolicyCommand>().ExecuteAsync(TestPki.Admin,
            new PolicyRequest("stored", "max_token_per_user=3, certificate_allow_upload=false, certificate_upload_trust=any")));
        var stored = (await Core.InScopeAsync(sp => sp.GetRequiredService<ListPoliciesQuery>().ExecuteAsync(TestPki.Admin))).Value.Single(p => p.Name == "stored");

        var (cut, _) = await ShowDialogAsync<PolicyDialog>(new DialogParameters<PolicyDialog> { { d => d.Existing, stored } }, PortalDialogOptions.Form(MaxWidth.Medium));

        cut.WaitForElement($"[data-testid=policy-row-{PolicyActionKeys.UploadTrust}]", Patience);
        Assert.Equal("3", Field(cut, PolicyActionKeys.MaxTokens).GetAttribute("value"));
        Assert.False(Field(cut, PolicyActionKeys.AllowUpload).IsChecked());
        Assert.Equal("any", cut.Find($"[data-testid=policy-field-{PolicyActionKeys.UploadTrust}]").TextContent.Trim());
        Assert.Contains("chain or any", cut.Find($"[data-testid=policy-row-{PolicyActionKeys.UploadTrust}]").TextContent); // its help
        Assert.Empty(cut.FindAll("[data-testid=policy-field-action]"));
    }

    private Task<(IRenderedComponent<ContainerFragment> Cut, IDialogReference Dialog)> OpenAsync() =>
        ShowDialogAsync<PolicyDialog>([], PortalDialogOptions.Form(MaxWidth.Medium));

    private static void Check(IRenderedComponent<ContainerFragment> cut, string testId) =>
        cut.Find($"input[data-testid={testId}], [data-testid={testId}] input").Change(true);

    private static IElement Field(IRenderedComponent<ContainerFragment> cut, string key) =>
        cut.Find($"input[data-testid=policy-field-{key}], [data-testid=policy-field-{key}] input");

    private static void AddAction(IRenderedComponent<ContainerFragment> cut, string key)
    {
        Choose(cut, "policy-add-action", $"{PolicyActionFields.Of(key).Label} ({key})");
        cut.WaitForElement($"[data-testid=policy-row-{key}]", Patience);
    }

    private static void Choose(IRenderedComponent<ContainerFragment> cut, string testId, string item)
    {
        cut.Find($".mud-select [data-testid={testId}]").ParentElement!.ParentElement!.MouseDown();
        cut.WaitForElement(".mud-popover-open .mud-list-item", Patience);
        cut.FindAll(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == item).Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-popover-open .mud-list-item")), Patience);
    }

    /// <summary>The validation message under a field, or null when it shows none.</summary>
    private static string? ErrorUnder(IRenderedComponent<ContainerFragment> cut, string testId)
    {
        var field = cut.Find($"[data-testid={testId}]");
        var control = field.Closest(".mud-input-control") ?? field.QuerySelector(".mud-input-control");
        return control?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() is { Length: > 0 } text ? text : null;
    }
}
