using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.Configuration;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.Users;

/// <summary>Creates an account; stays open with the reason when Core refuses, so nothing typed is lost.</summary>
public partial class CreateUserDialog
{
    private string? _userName;
    private string? _email;
    private string? _displayName;
    private string? _givenName;
    private string? _surname;
    private string? _realm;
    private string _role = PortalRoles.User;
    private string? _password;
    private string? _confirmation;
    private string? _problem;
    private bool _busy;
    private MudForm _form = default!;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject] private CreateUserCommand CreateUser { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IOptions<PortalOptions> Options { get; set; } = default!;

    protected override void OnInitialized() => _realm = Options.Value.DefaultRealm;

    private void Cancel() => Dialog.Cancel();

    private string? ConfirmationProblem(string? confirmation) =>
        string.IsNullOrEmpty(_password) ? null : PasswordConfirmation.Problem(_password, confirmation);

    // A rough shape check only; Core's check decides.
    private static string? EmailProblem(string? email) =>
        string.IsNullOrWhiteSpace(email) || email.Contains('@') ? null : "An email address contains '@'.";

    private async Task SubmitAsync()
    {
        await _form.ValidateAsync();
        if (!_form.IsValid)
        {
            return;
        }
        _busy = true;
        try
        {
            var actor = await Session.GetActorAsync();
            var result = await CreateUser.ExecuteAsync(actor, new NewUser(_userName ?? "", _password!, _email, _realm, _role)
            {
                Names = new PersonNames(_givenName, _surname, _displayName),
            });
            if (result.TryGetValue(out var user, out var error))
            {
                Snackbar.ShowSuccess($"User {user.UserName} created.");
                Dialog.Close(DialogResult.Ok(user));
                return;
            }
            _problem = error.Message;
        }
        finally
        {
            _busy = false;
        }
    }
}
