using AngleSharp.Dom;
using Bunit;
using Bunit.Rendering;
using CertTokenPortal.Components.Pages.CaConnectors;
using CertTokenPortal.Components.Pages.Pending;
using CertTokenPortal.Components.Pages.Policies;
using CertTokenPortal.Components.Pages.Tokens;
using CertTokenPortal.Components.Pages.Users;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Users;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using static CertTokenPortal.Tests.Infrastructure.TestTimeouts;

namespace CertTokenPortal.Tests.Components.Shared;

/// <summary>
/// Every dialog of the portal, opened as its page opens it: the first field takes the focus (not the dialog's
/// frame), Escape and Cancel close it, and mistakes show under their fields, all at once, with no toast.
/// </summary>
[Trait("Category", "Component")]
public sealed class PortalDialogsTests : PortalComponentTest
{
    private UserSummary _uwe = default!;
    private TokenView _token = default!;

    public override async Task InitializeAsync()
    {
        await UseCoreAsync();
        _uwe = await PortalUsers.CreateAsync(Core.Services, "uwe", PortalRoles.User, null);
        _token = await Core.EnrolCsrAsync("uwe", "uwe");
        LogInAs(PortalRoles.Admin);
    }

    /// <summary>Each dialog, the test id of the field that must take the focus, and of its Cancel button.</summary>
    public static TheoryData<string, string, string> Dialogs => new()
    {
        { nameof(CreateUserDialog), "create-username", "create-cancel" },
        { nameof(ResetPasswordDialog), "reset-password", "reset-cancel" },
        { nameof(ChangeRoleDialog), "change-role", "change-role-cancel" },
        { nameof(TemplateDialog), "template-name-input", "template-cancel" },
        { nameof(CreateRootCaDialog), "create-ca-name", "create-ca-cancel" },
        { nameof(ImportCaDialog), "import-ca-name", "import-ca-cancel" },
        { nameof(CreateApprovalCaDialog), "approval-ca-name", "approval-ca-cancel" },
        { nameof(PolicyDialog), "policy-field-name", "policy-cancel" },
        { nameof(AttestationRootDialog), "root-field-name", "root-cancel" },
        { nameof(DenyDialog), "deny-reason", "deny-cancel" },
        { nameof(RevokeTokenDialog), "revoke-reason", "revoke-cancel" },
        { nameof(DeleteTokenDialog), "delete-cancel", "delete-cancel" },
    };

    [Theory]
    [MemberData(nameof(Dialogs))]
    public async Task Show_AnyDialog_FirstFocusableIsItsFirstField(string dialog, string firstField, string cancel)
    {
        _ = cancel;
        var (cut, _) = await ShowAsync(dialog);

        var first = FocusableIn(cut.Find(".mud-dialog")).First();

        Assert.True(first.Closest($"[data-testid={firstField}]") is not null, first.OuterHtml);
        // The focus trap is asked to focus that first child, not its own frame.
        // The focus trap is asked to focus its first child, not its own invisible fallback element.
        Assert.Contains(Context.JSInterop.Invocations, i => i.Identifier == "mudElementRef.focusFirst");
        Assert.DoesNotContain(Context.JSInterop.Invocations, i => i.Identifier == "Blazor._internal.domWrapper.focus");
    }

    [Theory]
    [MemberData(nameof(Dialogs))]
    public async Task Escape_AnyDialog_ClosesItCancelled(string dialog, string firstField, string cancel)
    {
        _ = (firstField, cancel);
        var (cut, reference) = await ShowAsync(dialog);

        await PressEscapeAsync(cut);

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")), Patience);
        Assert.True((await reference.Result)!.Canceled);
    }

    [Theory]
    [MemberData(nameof(Dialogs))]
    public async Task Cancel_AnyDialog_ClosesItCancelled(string dialog, string firstField, string cancel)
    {
        _ = firstField;
        var (cut, reference) = await ShowAsync(dialog);

        cut.Find($"[data-testid={cancel}]").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(".mud-dialog")), Patience);
        Assert.True((await reference.Result)!.Canceled);
    }

    [Fact]
    public async Task CreateUser_EmptyForm_ShowsEveryMissingFieldUnderItOnceWithoutToast()
    {
        var (cut, _) = await ShowAsync(nameof(CreateUserDialog));
        var before = await UserCountAsync();

        cut.Find("[data-testid=create-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal(
            ["Enter a user name.", "Enter a password.", "Repeat the password."], Errors(cut)), Patience);
        Assert.Empty(cut.FindAll(".mud-snackbar"));
        Assert.Empty(cut.FindAll("[data-testid=create-problem]"));
        Assert.Equal(before, await UserCountAsync());
    }

    [Fact]
    public async Task CreateUser_PasswordsDiffer_SaysSoUnderTheRepeatField()
    {
        var (cut, _) = await ShowAsync(nameof(CreateUserDialog));
        Input(cut, "create-username").Change("hanna");
        Input(cut, "create-password").Change(PortalUsers.Password);
        Input(cut, "create-confirmation").Change(PortalUsers.Password + "x");

        cut.Find("[data-testid=create-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["The two passwords differ."], Errors(cut)), Patience);
        Assert.Contains("The two passwords differ.", Input(cut, "create-confirmation").Closest(".mud-input-control")!.TextContent);
        Assert.False(await Core.NewDb().Users.AnyAsync(u => u.UserName == "hanna"));
    }

    [Fact]
    public async Task ResetPassword_Empty_ShowsBothFieldsUnderThem()
    {
        var (cut, _) = await ShowAsync(nameof(ResetPasswordDialog));

        cut.Find("[data-testid=reset-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["Enter a password.", "Repeat the password."], Errors(cut)), Patience);
        Assert.Empty(cut.FindAll(".mud-snackbar"));
    }

    [Theory]
    [InlineData("0", "0 is out of range: enter 1 to 36500 days.")]
    [InlineData("36501", "36501 is out of range: enter 1 to 36500 days.")]
    public async Task Template_ValidityOutOfRange_IsRefusedNotChanged(string days, string message)
    {
        var (cut, _) = await ShowAsync(nameof(TemplateDialog));
        Input(cut, "template-name-input").Change("zero");
        Input(cut, "template-days-input").Change(days);

        cut.Find("[data-testid=template-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal([message], Errors(cut)), Patience);
        Assert.Equal(days, Input(cut, "template-days-input").GetAttribute("value"));
        Assert.False(await Core.NewDb().CertificateTemplates.AnyAsync(t => t.Name == "zero"));
    }

    [Fact]
    public async Task CreateRootCa_OverlapNotShorterThanCrl_IsRefusedUnderTheField()
    {
        var (cut, _) = await ShowAsync(nameof(CreateRootCaDialog));
        Input(cut, "create-ca-name").Change("second");
        Input(cut, "create-ca-subject").Change("CN=Second");
        Input(cut, "create-ca-validity").Change("0");
        Input(cut, "create-ca-crl-overlap").Change("7");

        cut.Find("[data-testid=create-ca-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal(
            ["0 is out of range: enter 1 to 36500 days.", "The overlap must be shorter than the CRL validity (7 days)."], Errors(cut)), Patience);
        Assert.False(await Core.NewDb().CaConnectors.AnyAsync(c => c.Name == "second"));
    }

    [Fact]
    public async Task Policy_Empty_ShowsNameAndActionUnderThem()
    {
        var (cut, _) = await ShowAsync(nameof(PolicyDialog));
        Input(cut, "policy-field-priority").Change("0");

        cut.Find("[data-testid=policy-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal(
            ["Enter a name.", "0 is out of range: enter 1 to 9999 as priority.", "Add at least one action."], Errors(cut)), Patience);
        Assert.Empty(cut.FindAll(".mud-snackbar"));
    }

    [Fact]
    public async Task Deny_NoReason_AsksForItUnderTheField()
    {
        var (cut, _) = await ShowAsync(nameof(DenyDialog));

        cut.Find("[data-testid=deny-submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["Enter the reason the requester will see."], Errors(cut)), Patience);
        Assert.Empty(cut.FindAll(".mud-snackbar"));
    }

    private Task<(IRenderedComponent<ContainerFragment> Cut, IDialogReference Dialog)> ShowAsync(string dialog) => dialog switch
    {
        nameof(CreateUserDialog) => ShowDialogAsync<CreateUserDialog>([], PortalDialogOptions.Form()),
        nameof(ResetPasswordDialog) => ShowDialogAsync<ResetPasswordDialog>(new DialogParameters<ResetPasswordDialog> { { d => d.User, _uwe } }, PortalDialogOptions.Form()),
        nameof(ChangeRoleDialog) => ShowDialogAsync<ChangeRoleDialog>(new DialogParameters<ChangeRoleDialog> { { d => d.User, _uwe } }, PortalDialogOptions.Form()),
        nameof(TemplateDialog) => ShowDialogAsync<TemplateDialog>(new DialogParameters<TemplateDialog> { { d => d.CaName, "localCA" } }, PortalDialogOptions.Form()),
        nameof(CreateRootCaDialog) => ShowDialogAsync<CreateRootCaDialog>([], PortalDialogOptions.Form()),
        nameof(ImportCaDialog) => ShowDialogAsync<ImportCaDialog>([], PortalDialogOptions.Form()),
        nameof(CreateApprovalCaDialog) => ShowDialogAsync<CreateApprovalCaDialog>(new DialogParameters<CreateApprovalCaDialog> { { d => d.Signers, new[] { "localCA" } } }, PortalDialogOptions.Form()),
        nameof(PolicyDialog) => ShowDialogAsync<PolicyDialog>([], PortalDialogOptions.Form(MaxWidth.Medium)),
        nameof(AttestationRootDialog) => ShowDialogAsync<AttestationRootDialog>([], PortalDialogOptions.Form(MaxWidth.Medium)),
        nameof(DenyDialog) => ShowDialogAsync<DenyDialog>(new DialogParameters<DenyDialog> { { d => d.Token, _token } }, PortalDialogOptions.Form()),
        nameof(RevokeTokenDialog) => ShowDialogAsync<RevokeTokenDialog>(new DialogParameters<RevokeTokenDialog> { { d => d.Token, _token } }, PortalDialogOptions.Form()),
        nameof(DeleteTokenDialog) => ShowDialogAsync<DeleteTokenDialog>(new DialogParameters<DeleteTokenDialog> { { d => d.Token, _token } }, PortalDialogOptions.Form()),
        _ => throw new ArgumentOutOfRangeException(nameof(dialog), dialog, null),
    };

    /// <summary>What a keyboard reaches first, in document order (as the focus trap's "first child").</summary>
    private static IEnumerable<IElement> FocusableIn(IElement root) =>
        root.QuerySelectorAll("input, textarea, select, button, [tabindex]")
            .Where(e => !e.HasAttribute("disabled") && e.GetAttribute("type") != "hidden" && e.GetAttribute("tabindex") != "-1")
            // The focus trap's own sentinels, which only send the focus round.
            .Where(e => !e.ClassList.Contains("pointer-events-none"));

    private static IElement Input(IRenderedComponent<ContainerFragment> cut, string testId) =>
        cut.Find($"[data-testid={testId}] input, [data-testid={testId}] textarea, input[data-testid={testId}], textarea[data-testid={testId}]");

    private static List<string> Errors(IRenderedComponent<ContainerFragment> cut) =>
        cut.FindAll(".mud-input-helper-text.mud-input-error")
            // A field with a counter shows it beside the message ("0 / 512"); only the message counts here.
            .Select(e => System.Text.RegularExpressions.Regex.Replace(e.TextContent.Trim(), @"\d+ / \d+$", "")).Where(t => t.Length > 0).ToList();

    private async Task<int> UserCountAsync()
    {
        await using var db = Core.NewDb();
        return await db.Users.CountAsync();
    }
}
