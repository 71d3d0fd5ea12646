using CertTokenPortal.Authentication;
using CertTokenPortal.Components.Shared;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users.Resolvers.Administration;
using CertTokenPortal.Core.Users.Resolvers.Ldap;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CertTokenPortal.Components.Pages.Resolvers;

/// <summary>
/// Resolvers and realms: admins add and change LDAP resolvers (with a "Test connection" that says what it found or
/// the exact error) and realms; helpdesk sees them. The bind password is write-only: left empty, the stored one stays.
/// </summary>
public partial class Resolvers
{
    private static readonly IReadOnlyList<string> Fields = LdapResolverSettings.ParameterNames;

    private Actor? _actor;
    private IReadOnlyList<ResolverView>? _resolvers;
    private IReadOnlyList<RealmView> _realms = [];
    private Dictionary<string, string?> _form = Defaults();
    private string? _name;
    private string? _realmName;
    private string? _realmResolvers;
    private bool _busy;
    private (bool Ok, string Text)? _testOutcome;

    [Inject] private PortalSession Session { get; set; } = default!;
    [Inject] private ListResolversQuery ListResolvers { get; set; } = default!;
    [Inject] private ListRealmsQuery ListRealms { get; set; } = default!;
    [Inject] private SaveResolverCommand SaveResolver { get; set; } = default!;
    [Inject] private DeleteResolverCommand DeleteResolver { get; set; } = default!;
    [Inject] private TestResolverQuery TestResolver { get; set; } = default!;
    [Inject] private SaveRealmCommand SaveRealm { get; set; } = default!;
    [Inject] private DeleteRealmCommand DeleteRealm { get; set; } = default!;
    [Inject] private SetDefaultRealmCommand SetDefaultRealm { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private bool CanManage => _actor?.Allows(Permission.ManageUsers) == true;

    protected override async Task OnInitializedAsync()
    {
        _actor = await Session.GetActorAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (_actor is null)
        {
            return;
        }
        if ((await ListResolvers.ExecuteAsync(_actor, null)).TryGetValue(out var resolvers, out var error) &&
            (await ListRealms.ExecuteAsync(_actor)).TryGetValue(out var realms, out error))
        {
            _resolvers = resolvers;
            _realms = realms;
            return;
        }
        _resolvers = [];
        Snackbar.ShowError(error);
    }

    private static Dictionary<string, string?> Defaults() => new()
    {
        ["LOGINNAMEATTRIBUTE"] = "uid", ["LDAPSEARCHFILTER"] = "(objectClass=inetOrgPerson)", ["UIDTYPE"] = "entryUUID", ["TIMEOUT"] = "5",
    };

    private static string? Help(string field) => field switch
    {
        "LDAPURI" => "ldap://host:389 or ldaps://host:636",
        "BINDPW" => "left empty when editing: the stored password stays",
        "USERINFO" => "JSON, e.g. {\"email\":\"mail\",\"displayname\":\"displayName\"}",
        "UIDTYPE" => "entryUUID (OpenLDAP) or objectGUID (AD) survive renames; DN does not",
        "ROLE_GROUPS" => "JSON, e.g. {\"helpdesk\":\"cn=helpdesk,ou=groups,dc=example,dc=org\"}",
        "TLS_CA_FILE" => "PEM file of the directory's CA on this server",
        _ => null,
    };

    private void Edit(ResolverView resolver)
    {
        _name = resolver.Name;
        _form = resolver.Settings.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        _testOutcome = null;
    }

    private ResolverRequest Request() => new(_name?.Trim() ?? "", Core.Users.Resolvers.ResolverKinds.Ldap, _form);

    private async Task TestAsync()
    {
        _busy = true;
        var result = await TestResolver.ExecuteAsync(_actor!, Request());
        _testOutcome = result.TryGetValue(out var found, out var error) ? (true, found) : (false, error.Message);
        _busy = false;
    }

    private async Task SaveAsync()
    {
        _busy = true;
        if (Snackbar.ShowOutcome(await SaveResolver.ExecuteAsync(_actor!, Request()), r => $"Resolver {r.Name} saved."))
        {
            _form = Defaults();
            _name = null;
            await LoadAsync();
        }
        _busy = false;
    }

    private async Task DeleteResolverAsync(string name)
    {
        if (Snackbar.ShowOutcome(await DeleteResolver.ExecuteAsync(_actor!, name), $"Resolver {name} deleted."))
        {
            await LoadAsync();
        }
    }

    private async Task SaveRealmAsync()
    {
        var resolvers = (_realmResolvers ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var request = new RealmRequest(_realmName?.Trim() ?? "", resolvers, new Dictionary<string, int>());
        if (Snackbar.ShowOutcome(await SaveRealm.ExecuteAsync(_actor!, request), r => $"Realm {r.Name} saved."))
        {
            _realmName = _realmResolvers = null;
            await LoadAsync();
        }
    }

    private async Task MakeDefaultAsync(string name)
    {
        if (Snackbar.ShowOutcome(await SetDefaultRealm.ExecuteAsync(_actor!, name), r => $"{r.Name} is the default realm."))
        {
            await LoadAsync();
        }
    }

    private async Task DeleteRealmAsync(string name)
    {
        if (Snackbar.ShowOutcome(await DeleteRealm.ExecuteAsync(_actor!, name), $"Realm {name} deleted."))
        {
            await LoadAsync();
        }
    }
}
