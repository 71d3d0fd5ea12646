using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.Users;

/// <summary>
/// The user list: everyone with <see cref="Permission.ViewUsers"/> sees it; only <see cref="Permission.ManageUsers"/>
/// gets the buttons. The buttons are a convenience: the user use cases enforce the same rules.
/// </summary>
public partial class Users
{
    private static readonly int[] PageSizes = [10, 25, 50, 100];

    private MudDataGrid<UserSummary>? _grid;
    private Actor? _actor;
    private string? _search;
    private string? _roleFilter;
    private string? _loadError;
    private string? _realm;
    private IReadOnlyList<string> _directoryRealms = [];
    private Dictionary<(string, string), int> _tokenCounts = [];

    [Inject] private ListUsersQuery ListUsers { get; set; } = default!;
    [Inject] private SetUserLockedCommand SetLocked { get; set; } = default!;
    [Inject] private ListRealmUsersQuery RealmUsers { get; set; } = default!;
    [Inject] private Core.Users.Resolvers.Administration.ListRealmsQuery Realms { get; set; } = default!;
    [Inject] private DeleteUserCommand DeleteUser { get; set; } = default!;
    [Inject] private FindOwnersQuery FindOwners { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    private bool CanManage => _actor?.Allows(Permission.ManageUsers) == true;

    private bool CanEnrol => _actor?.Allows(Permission.EnrolForOthers) == true;

    protected override async Task OnInitializedAsync()
    {
        _actor = await Session.GetActorAsync();
        if (_actor is not null && (await Realms.ExecuteAsync(_actor)).TryGetValue(out var realms, out _))
        {
            // Only realms with a directory list users of their own; the others are the portal accounts below.
            _directoryRealms = realms.Where(r => r.Resolvers.Any(m => m.Name != Core.Users.Resolvers.ResolverKinds.LocalResolverName))
                .Select(r => r.Name).ToList();
        }
    }

    private async Task<GridData<UserSummary>> LoadAsync(GridState<UserSummary> state, CancellationToken ct)
    {
        if (_realm is not null)
        {
            return await LoadDirectoryAsync(state, ct);
        }
        var query = new UserQuery(_search, _roleFilter, Page: state.Page + 1, PageSize: state.PageSize);
        var result = await ListUsers.ExecuteAsync(_actor!, query, ct);
        if (!result.TryGetValue(out var page, out var error))
        {
            _loadError = error.Message;
            Snackbar.ShowError(error);
            return new GridData<UserSummary> { Items = [], TotalItems = 0 };
        }
        _loadError = null;
        _tokenCounts = [];
        return new GridData<UserSummary> { Items = page.Users, TotalItems = page.Total };
    }

    /// <summary>A page of a directory realm's users, read from the directory (it knows no total: one more page is offered while it has more).</summary>
    private async Task<GridData<UserSummary>> LoadDirectoryAsync(GridState<UserSummary> state, CancellationToken ct)
    {
        var result = await RealmUsers.ExecuteAsync(_actor!, _realm, _search, state.Page + 1, state.PageSize, ct);
        if (!result.TryGetValue(out var page, out var error))
        {
            _loadError = error.Message;
            Snackbar.ShowError(error);
            return new GridData<UserSummary> { Items = [], TotalItems = 0 };
        }
        _loadError = null;
        _tokenCounts = page.Users.ToDictionary(u => (u.User.UserName, u.Realm), u => u.Tokens);
        var users = page.Users.Select(u => new UserSummary(u.User.Id, u.User.UserName, u.User.Email, u.Realm, PortalRoles.User, false, null, 0, default)
        {
            Source = u.Resolver,
            DisplayName = u.User.DisplayName,
            GivenName = u.User.GivenName,
            Surname = u.User.Surname,
        }).ToList();
        return new GridData<UserSummary> { Items = users, TotalItems = state.Page * state.PageSize + users.Count + (page.HasMore ? state.PageSize : 0) };
    }

    private Task RealmChangedAsync(string? realm)
    {
        _realm = realm;
        return ReloadAsync();
    }

    private Task SearchChangedAsync(string? search)
    {
        _search = search;
        return ReloadAsync();
    }

    private Task RoleFilterChangedAsync(string? role)
    {
        _roleFilter = role;
        return ReloadAsync();
    }

    private async Task<IEnumerable<UserSummary>> FindAnyUserAsync(string? text, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        var result = await FindOwners.ExecuteAsync(_actor!, text, 20, ct);
        if (!result.TryGetValue(out var found, out var error))
        {
            Snackbar.ShowError(error);
            return [];
        }
        // A directory that cannot be asked is named; the others' users are still offered.
        foreach (var problem in found.Problems)
        {
            Snackbar.ShowError(problem);
        }
        return found.Users;
    }

    private Task OpenUserAsync(UserSummary? user)
    {
        if (user is not null)
        {
            Navigation.NavigateTo(UserDetails.Href(user.UserName, user.Realm));
        }
        return Task.CompletedTask;
    }

    private Task ReloadAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;

    private async Task CreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<CreateUserDialog>("New user", PortalDialogOptions.Form());
        await ReloadWhenDoneAsync(dialog);
    }

    private async Task EditAsync(UserSummary user)
    {
        var parameters = new DialogParameters<EditUserDialog> { { d => d.User, user } };
        var dialog = await Dialogs.ShowAsync<EditUserDialog>($"Details of {user.UserName}", parameters, PortalDialogOptions.Form());
        await ReloadWhenDoneAsync(dialog);
    }

    private async Task ChangeRoleAsync(UserSummary user)
    {
        var parameters = new DialogParameters<ChangeRoleDialog> { { d => d.User, user } };
        var dialog = await Dialogs.ShowAsync<ChangeRoleDialog>($"Role of {user.UserName}", parameters, PortalDialogOptions.Form());
        await ReloadWhenDoneAsync(dialog);
    }

    private async Task ResetPasswordAsync(UserSummary user)
    {
        var parameters = new DialogParameters<ResetPasswordDialog> { { d => d.User, user } };
        var dialog = await Dialogs.ShowAsync<ResetPasswordDialog>($"New password for {user.UserName}", parameters, PortalDialogOptions.Form());
        await ReloadWhenDoneAsync(dialog);
    }

    private async Task SetLockedAsync(UserSummary user, bool locked)
    {
        var result = await SetLocked.ExecuteAsync(_actor!, user.UserName, locked);
        if (Snackbar.ShowOutcome(result, u => locked ? $"{u.UserName} is locked." : $"{u.UserName} is unlocked."))
        {
            await ReloadAsync();
        }
    }

    private async Task DeleteAsync(UserSummary user)
    {
        if (!await ConfirmDialog.AskAsync(Dialogs, $"Delete {user.UserName}?",
                $"The account '{user.UserName}' is deleted and its sessions end. Its certificate tokens stay, with their history."))
        {
            return;
        }
        var result = await DeleteUser.ExecuteAsync(_actor!, user.UserName);
        if (Snackbar.ShowOutcome(result, $"{user.UserName} is deleted."))
        {
            await ReloadAsync();
        }
    }

    // The dialogs call Core themselves (so that a refused input keeps the dialog open) and report their own outcome.
    private async Task ReloadWhenDoneAsync(IDialogReference dialog)
    {
        var result = await dialog.Result;
        if (result is { Canceled: false })
        {
            await ReloadAsync();
        }
    }


    private static Color RoleColor(string role) => role switch
    {
        PortalRoles.Admin => Color.Primary,
        PortalRoles.Helpdesk => Color.Secondary,
        _ => Color.Default,
    };
}
