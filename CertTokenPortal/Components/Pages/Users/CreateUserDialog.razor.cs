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
    private string? _realm;
    private string _role = PortalRoles.User;
    private string? _password;
    private string? _confirmation;
    private string? _problem;
    private bool _busy;

    [CascadingParameter] private IMudDialogInstance Dialog { get; set; } = default!;

    [Inject] private CreateUserCommand CreateUser { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IOptions<PortalOptions> Options { get; set; } = default!;

    protected override void OnInitialized() => _realm = Options.Value.DefaultRealm;

    private void Cancel() => Dialog.Cancel();

    private async Task SubmitAsync()
    {
        _problem = PasswordConfirmation.Problem(_password, _confirmation);
        if (_problem is not null)
        {
            return;
        }
        _busy = true;
        try
        {
            var actor = await Session.GetActorAsync();
            var result = await CreateUser.ExecuteAsync(actor, new NewUser(_userName ?? "", _password!, _email, _realm, _role));
            if (Snackbar.ShowOutcome(result, u => $"User {u.UserName} created."))
            {
                Dialog.Close(DialogResult.Ok(result.Value));
            }
        }
        finally
        {
            _busy = false;
        }
    }
}
