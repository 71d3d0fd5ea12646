using CertTokenPortal.Authentication;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Listing;
using CertTokenPortal.Core.Users;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.Users;

/// <summary>
/// One user as helpdesk meets them: who they are (portal account or directory user), their tokens, and "Enrol for
/// this user", which opens the wizard with the owner set. Reached from the Users page, the token grid's owner and
/// the user search.
/// </summary>
public partial class UserDetails
{
    private const string LocalSource = Core.Users.Resolvers.ResolverKinds.LocalResolverName;
    private static readonly int[] PageSizes = [10, 25, 50, 100];

    private Actor? _actor;
    private UserSummary? _user;
    private string? _problem;
    private string? _tokensError;
    private MudDataGrid<TokenView>? _grid;
    private List<BreadcrumbItem> _crumbs = [];

    [Parameter] public string Realm { get; set; } = "";

    [Parameter] public string UserName { get; set; } = "";

    [Inject] private FindUserQuery FindUser { get; set; } = default!;
    [Inject] private ListTokensQuery Tokens { get; set; } = default!;
    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    /// <summary>The address of <paramref name="userName"/>'s page.</summary>
    public static string Href(string userName, string realm) =>
        $"users/{Uri.EscapeDataString(realm)}/{Uri.EscapeDataString(userName)}";

    /// <summary>The wizard with <paramref name="user"/> as the owner.</summary>
    public static string EnrolHref(UserSummary user) =>
        $"enrol?user={Uri.EscapeDataString(user.UserName)}&realm={Uri.EscapeDataString(user.Realm)}";

    private bool CanEnrol => _actor?.Allows(Permission.EnrolForOthers) == true;

    /// <summary>Nobody enrols for an account above their own role (Core refuses it too); said before the click.</summary>
    private string? EnrolRefusal => _user is { Role: PortalRoles.Admin } && _actor?.Role != PortalRoles.Admin
        ? "Only admins enrol for an admin."
        : null;

    protected override async Task OnParametersSetAsync()
    {
        _crumbs = [new("Users", "users"), new(UserName, null, disabled: true)];
        _actor ??= await Session.GetActorAsync();
        if (_actor is null)
        {
            return;
        }
        var found = await FindUser.ExecuteAsync(_actor, UserName, Realm);
        (_user, _problem) = found.TryGetValue(out var user, out var error) ? (user, null) : ((UserSummary?)null, error.Message);
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private async Task RevokeAsync(TokenView token)
    {
        if (await Pages.Tokens.RevokeTokenDialog.ShowAsync(Dialogs, token) && _grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private async Task<GridData<TokenView>> LoadTokensAsync(GridState<TokenView> state, CancellationToken ct)
    {
        var query = new TokenQuery { UserName = _user!.UserName, Realm = _user.Realm, Page = state.Page + 1, PageSize = state.PageSize };
        var result = await Tokens.ExecuteAsync(_actor!, query, ct);
        if (!result.TryGetValue(out var page, out var error))
        {
            _tokensError = error.Message;
            return new GridData<TokenView> { Items = [], TotalItems = 0 };
        }
        _tokensError = null;
        return new GridData<TokenView> { Items = page.Tokens, TotalItems = page.Count };
    }
}
