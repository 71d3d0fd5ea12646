using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Users;
using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Tests.Users;

[Trait("Category", "Unit")]
public sealed class UserUseCasesTests : IAsyncLifetime
{
    private const string StrongPassword = "Str0ng-Passw0rd!";

    private static readonly Actor Admin = new("admin", "default", PortalRoles.Admin, "10.0.0.1");
    private static readonly Actor Helpdesk = new("helen", "default", PortalRoles.Helpdesk, "10.0.0.2");
    private static readonly Actor EndUser = new("ulla", "default", PortalRoles.User, "10.0.0.3");

    private CoreServices _core = default!;
    private AsyncServiceScope _scope;

    private T Use<T>() where T : notnull => _scope.ServiceProvider.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        _core = await CoreServices.StartAsync(new Dictionary<string, string?> { ["Portal:DefaultRealm"] = "corp" });
        _scope = _core.Services.CreateAsyncScope();
    }

    public async Task DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _core.DisposeAsync();
    }

    [Fact]
    public async Task CreateAsync_ValidRequest_SavesUserWithRoleAndAudits()
    {
        var result = await Use<CreateUserCommand>().ExecuteAsync(Admin, new NewUser(" alice ", StrongPassword, "alice@example.org", "lab", PortalRoles.Helpdesk));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(("alice", "lab", PortalRoles.Helpdesk, "alice@example.org"), (result.Value.UserName, result.Value.Realm, result.Value.Role, result.Value.Email));
        Assert.False(result.Value.LockedOut);

        var (user, roles, passwordOk) = await _core.InScopeAsync(async sp =>
        {
            var manager = sp.GetRequiredService<UserManager<PortalUser>>();
            var u = await manager.FindByNameAsync("alice");
            return (u, u is null ? [] : await manager.GetRolesAsync(u), u is not null && await manager.CheckPasswordAsync(u, StrongPassword));
        });
        Assert.NotNull(user);
        Assert.Equal("lab", user.Realm);
        Assert.Equal([PortalRoles.Helpdesk], roles);
        Assert.True(passwordOk);

        var entry = Assert.Single(await AuditAsync(AuditActions.UserCreate));
        Assert.True(entry.Success);
        Assert.Equal(("admin", "alice", "10.0.0.1"), (entry.UserName, entry.TargetUser, entry.ClientAddress));
    }

    [Fact]
    public async Task CreateAsync_NoRealmNoRole_UsesConfiguredDefaultRealmAndUserRole()
    {
        var result = await Use<CreateUserCommand>().ExecuteAsync(Admin, new NewUser("bob", StrongPassword, null, null, null));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(("corp", PortalRoles.User), (result.Value.Realm, result.Value.Role));
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("ADMIN")]
    public async Task CreateAsync_DuplicateName_ReturnsConflictAndSavesNothing(string name)
    {
        var before = await UserCountAsync();

        var result = await Use<CreateUserCommand>().ExecuteAsync(Admin, new NewUser(name, StrongPassword, null, null, PortalRoles.User));

        Assert.Equal(ErrorKind.Conflict, result.Error?.Kind);
        Assert.Equal(before, await UserCountAsync());
        Assert.False(Assert.Single(await AuditAsync(AuditActions.UserCreate)).Success);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("two words")]
    [InlineData("slash/name")]
    [InlineData("<script>")]
    public async Task CreateAsync_BadUserName_ReturnsValidationAndSavesNothing(string name)
    {
        var before = await UserCountAsync();

        var result = await Use<CreateUserCommand>().ExecuteAsync(Admin, new NewUser(name, StrongPassword, null, null, null));

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Contains("user name", result.Error!.Message);
        Assert.Equal(before, await UserCountAsync());
    }

    [Fact]
    public async Task CreateAsync_NameLongerThan64_ReturnsValidationAndSavesNothing()
    {
        var before = await UserCountAsync();

        var result = await Use<CreateUserCommand>().ExecuteAsync(Admin, new NewUser(new string('a', 65), StrongPassword, null, null, null));

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Equal(before, await UserCountAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Sh0rt!")]
    [InlineData("alllowercaseletters")]
    [InlineData("NoDigitsOrSymbols")]
    public async Task CreateAsync_WeakPassword_ReturnsValidationAndSavesNothing(string password)
    {
        var before = await UserCountAsync();

        var result = await Use<CreateUserCommand>().ExecuteAsync(Admin, new NewUser("carol", password, null, null, null));

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Equal(before, await UserCountAsync());
        var entry = Assert.Single(await AuditAsync(AuditActions.UserCreate));
        Assert.False(entry.Success);
        Assert.Equal(result.Error!.Message, entry.Message);
    }

    [Theory]
    [InlineData("superuser", null, null)]
    [InlineData(null, "bad realm", null)]
    [InlineData(null, null, "not-an-email")]
    public async Task CreateAsync_UnknownRoleBadRealmOrEmail_ReturnsValidationAndSavesNothing(string? role, string? realm, string? email)
    {
        var before = await UserCountAsync();

        var result = await Use<CreateUserCommand>().ExecuteAsync(Admin, new NewUser("dave", StrongPassword, email, realm, role));

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Equal(before, await UserCountAsync());
    }

    [Theory]
    [InlineData(PortalRoles.Helpdesk)]
    [InlineData(PortalRoles.User)]
    public async Task CreateAsync_ByNonAdmin_ReturnsForbiddenAuditsAndSavesNothing(string role)
    {
        var before = await UserCountAsync();

        var result = await Use<CreateUserCommand>().ExecuteAsync(role == PortalRoles.Helpdesk ? Helpdesk : EndUser, new NewUser("eve", StrongPassword, null, null, null));

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        Assert.Equal(before, await UserCountAsync());
        var entry = Assert.Single(await AuditAsync(AuditActions.UserCreate));
        Assert.False(entry.Success);
        Assert.Equal(role, entry.Role);
    }

    [Fact]
    public async Task ListAsync_ByHelpdesk_ReturnsUsersWithRoles()
    {
        await CreateAsync("frank", PortalRoles.Helpdesk);

        var result = await Use<ListUsersQuery>().ExecuteAsync(Helpdesk, new UserQuery());

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(2, result.Value.Total);
        Assert.Equal([("admin", PortalRoles.Admin), ("frank", PortalRoles.Helpdesk)], result.Value.Users.Select(u => (u.UserName, u.Role)));
    }

    [Fact]
    public async Task ListAsync_ByEndUser_ReturnsForbidden()
    {
        var result = await Use<ListUsersQuery>().ExecuteAsync(EndUser, new UserQuery());

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
    }

    [Fact]
    public async Task ListAsync_SearchRoleAndPage_FilterAndCountInTheDatabase()
    {
        await CreateAsync("anna", PortalRoles.User, email: "anna@example.net", realm: "lab");
        await CreateAsync("anton", PortalRoles.Helpdesk);
        await CreateAsync("berta", PortalRoles.User, email: "b@example.org");
        await CreateAsync("bruno", PortalRoles.User);

        Assert.Equal(["anna", "anton"], await NamesAsync(new UserQuery(Search: "AN")));
        Assert.Equal(["berta"], await NamesAsync(new UserQuery(Search: "example.org")));
        Assert.Equal(["anna"], await NamesAsync(new UserQuery(Search: "lab")));
        Assert.Equal(["anna", "berta", "bruno"], await NamesAsync(new UserQuery(Role: PortalRoles.User)));
        Assert.Equal(["anna"], await NamesAsync(new UserQuery(Realm: "lab")));
        Assert.Empty(await NamesAsync(new UserQuery(Search: "nobody")));

        var second = (await Use<ListUsersQuery>().ExecuteAsync(Admin, new UserQuery(Page: 2, PageSize: 2))).Value;
        Assert.Equal(5, second.Total);
        Assert.Equal(["anton", "berta"], second.Users.Select(u => u.UserName));
    }

    [Fact]
    public async Task ChangeRoleAsync_KnownRole_ReplacesRoleEndsSessionsAndAudits()
    {
        await CreateAsync("gina", PortalRoles.User);
        var stampBefore = await StampAsync("gina");

        var result = await Use<ChangeUserRoleCommand>().ExecuteAsync(Admin, "gina", PortalRoles.Helpdesk);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(PortalRoles.Helpdesk, result.Value.Role);
        Assert.Equal([PortalRoles.Helpdesk], await RolesAsync("gina"));
        // A new security stamp makes the revalidation end sessions that still carry the old role in their cookie.
        Assert.NotEqual(stampBefore, await StampAsync("gina"));
        var entry = Assert.Single(await AuditAsync(AuditActions.UserUpdate));
        Assert.True(entry.Success);
        Assert.Equal("gina", entry.TargetUser);
        Assert.Contains("helpdesk", entry.Message);
    }

    [Fact]
    public async Task ChangeRoleAsync_OwnAdminRole_ReturnsConflictAndKeepsRole()
    {
        var result = await Use<ChangeUserRoleCommand>().ExecuteAsync(Admin, "admin", PortalRoles.User);

        Assert.Equal(ErrorKind.Conflict, result.Error?.Kind);
        Assert.Equal([PortalRoles.Admin], await RolesAsync("admin"));
        Assert.False(Assert.Single(await AuditAsync(AuditActions.UserUpdate)).Success);
    }

    [Fact]
    public async Task ChangeRoleAsync_UnknownRole_ReturnsValidationAndKeepsRole()
    {
        await CreateAsync("hugo", PortalRoles.User);

        var result = await Use<ChangeUserRoleCommand>().ExecuteAsync(Admin, "hugo", "root");

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.Equal([PortalRoles.User], await RolesAsync("hugo"));
    }

    [Fact]
    public async Task ChangeRoleAsync_UnknownUser_ReturnsNotFound()
    {
        var result = await Use<ChangeUserRoleCommand>().ExecuteAsync(Admin, "ghost", PortalRoles.User);

        Assert.Equal(ErrorKind.NotFound, result.Error?.Kind);
        Assert.False(Assert.Single(await AuditAsync(AuditActions.UserUpdate)).Success);
    }

    [Fact]
    public async Task ResetPasswordAsync_StrongPassword_ReplacesPasswordAndAudits()
    {
        await CreateAsync("ida", PortalRoles.User);

        var result = await Use<ResetUserPasswordCommand>().ExecuteAsync(Admin, "ida", "N3w-Passw0rd!");

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.False(await PasswordWorksAsync("ida", StrongPassword));
        Assert.True(await PasswordWorksAsync("ida", "N3w-Passw0rd!"));
        var entry = Assert.Single(await AuditAsync(AuditActions.UserUpdate));
        Assert.True(entry.Success);
        Assert.DoesNotContain("N3w-Passw0rd!", entry.Message);
    }

    [Fact]
    public async Task ResetPasswordAsync_WeakPassword_ReturnsValidationAndKeepsOldPassword()
    {
        await CreateAsync("jan", PortalRoles.User);

        var result = await Use<ResetUserPasswordCommand>().ExecuteAsync(Admin, "jan", "weak");

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
        Assert.True(await PasswordWorksAsync("jan", StrongPassword));
        Assert.False(Assert.Single(await AuditAsync(AuditActions.UserUpdate)).Success);
    }

    [Fact]
    public async Task SetLockedAsync_LockThenUnlock_BlocksAndRestoresLoginAndAudits()
    {
        await CreateAsync("kim", PortalRoles.User);

        var locked = await Use<SetUserLockedCommand>().ExecuteAsync(Admin, "kim", true);

        Assert.True(locked.IsSuccess, locked.Error?.Message);
        Assert.True(locked.Value.LockedOut);
        Assert.True(await IsLockedOutAsync("kim"));

        var unlocked = await Use<SetUserLockedCommand>().ExecuteAsync(Admin, "kim", false);

        Assert.False(unlocked.Value.LockedOut);
        Assert.False(await IsLockedOutAsync("kim"));
        Assert.Equal([true, true], (await AuditAsync(AuditActions.UserUpdate)).Select(e => e.Success));
    }

    [Fact]
    public async Task SetLockedAsync_OwnAccount_ReturnsConflictAndStaysUnlocked()
    {
        var result = await Use<SetUserLockedCommand>().ExecuteAsync(Admin, "admin", true);

        Assert.Equal(ErrorKind.Conflict, result.Error?.Kind);
        Assert.False(await IsLockedOutAsync("admin"));
    }

    public static TheoryData<string> Changes => ["role", "password", "lock"];

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Changes_ByHelpdesk_ReturnForbiddenAuditAndChangeNothing(string change)
    {
        await CreateAsync("lena", PortalRoles.User);
        var stampBefore = await StampAsync("lena");

        var result = change switch
        {
            "role" => await Use<ChangeUserRoleCommand>().ExecuteAsync(Helpdesk, "lena", PortalRoles.Admin),
            "password" => await Use<ResetUserPasswordCommand>().ExecuteAsync(Helpdesk, "lena", "N3w-Passw0rd!"),
            _ => await Use<SetUserLockedCommand>().ExecuteAsync(Helpdesk, "lena", true),
        };

        Assert.Equal(ErrorKind.Forbidden, result.Error?.Kind);
        Assert.Equal(stampBefore, await StampAsync("lena"));
        Assert.Equal([PortalRoles.User], await RolesAsync("lena"));
        Assert.True(await PasswordWorksAsync("lena", StrongPassword));
        Assert.False(await IsLockedOutAsync("lena"));
        var entry = Assert.Single(await AuditAsync(AuditActions.UserUpdate));
        Assert.False(entry.Success);
        Assert.Equal("helen", entry.UserName);
    }

    private async Task CreateAsync(string name, string role, string? email = null, string? realm = null)
    {
        var result = await Use<CreateUserCommand>().ExecuteAsync(Admin, new NewUser(name, StrongPassword, email, realm, role));
        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    private async Task<List<string>> NamesAsync(UserQuery query)
    {
        var result = await Use<ListUsersQuery>().ExecuteAsync(Admin, query);
        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(result.Value.Users.Count, result.Value.Total);
        return result.Value.Users.Select(u => u.UserName).ToList();
    }

    private async Task<int> UserCountAsync()
    {
        await using var db = _core.NewDb();
        return await db.Users.CountAsync();
    }

    private async Task<List<AuditEntry>> AuditAsync(string action)
    {
        await using var db = _core.NewDb();
        return await db.AuditEntries.Where(e => e.Action == action).OrderBy(e => e.Id).ToListAsync();
    }

    private Task<T> WithUserAsync<T>(string name, Func<UserManager<PortalUser>, PortalUser, Task<T>> read) =>
        _core.InScopeAsync(async sp =>
        {
            var manager = sp.GetRequiredService<UserManager<PortalUser>>();
            var user = await manager.FindByNameAsync(name) ?? throw new InvalidOperationException($"No user {name}.");
            return await read(manager, user);
        });

    private Task<IList<string>> RolesAsync(string name) => WithUserAsync(name, (m, u) => m.GetRolesAsync(u));

    private Task<string> StampAsync(string name) => WithUserAsync(name, (m, u) => m.GetSecurityStampAsync(u));

    private Task<bool> PasswordWorksAsync(string name, string password) => WithUserAsync(name, (m, u) => m.CheckPasswordAsync(u, password));

    private Task<bool> IsLockedOutAsync(string name) => WithUserAsync(name, (m, u) => m.IsLockedOutAsync(u));
}
