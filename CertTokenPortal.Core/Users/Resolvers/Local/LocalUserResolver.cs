using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Users.Resolvers.Local;

/// <summary>
/// The portal's own accounts of one realm (those made on the Users page, not directory shadows). Their passwords
/// are checked by Identity at login, with its lockout, so <see cref="CheckPasswordAsync"/> never confirms one here.
/// </summary>
internal sealed class LocalUserResolver(string realm, IDbContextFactory<PortalDbContext> dbFactory) : IUserResolver
{
    public string Name => ResolverKinds.LocalResolverName;

    public async Task<Result<DirectoryUser?>> FindByLoginNameAsync(string loginName, CancellationToken ct)
    {
        var normalized = loginName.ToUpperInvariant();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await Accounts(db).FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
        return user is null ? Result<DirectoryUser?>.Success(null) : ToUser(user);
    }

    public async Task<Result<DirectoryUser?>> FindByIdAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await Accounts(db).FirstOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? Result<DirectoryUser?>.Success(null) : ToUser(user);
    }

    public async Task<Result<DirectoryUserPage>> SearchAsync(string? term, int page, int pageSize, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var users = Accounts(db);
        if (!string.IsNullOrWhiteSpace(term))
        {
            var t = term.Trim().ToUpperInvariant();
            users = users.Where(u => u.NormalizedUserName!.Contains(t) || (u.NormalizedEmail != null && u.NormalizedEmail.Contains(t)));
        }
        var rows = await users.OrderBy(u => u.NormalizedUserName).Skip((Math.Max(page, 1) - 1) * pageSize).Take(pageSize + 1).ToListAsync(ct);
        return new DirectoryUserPage(rows.Take(pageSize).Select(ToUser).ToList(), rows.Count > pageSize);
    }

    public Task<Result<bool>> CheckPasswordAsync(DirectoryUser user, string password, CancellationToken ct) => Task.FromResult(Result<bool>.Success(false));

    public Task<Result<string>> RoleOfAsync(DirectoryUser user, CancellationToken ct) => Task.FromResult(Result<string>.Success(Identity.PortalRoles.User));

    public async Task<Result<string>> TestAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return $"{await Accounts(db).CountAsync(ct)} portal accounts in realm '{realm}'";
    }

    private IQueryable<Identity.PortalUser> Accounts(PortalDbContext db) =>
        db.Users.AsNoTracking().Where(u => u.Realm == realm && u.Resolver == null);

    private static DirectoryUser ToUser(Identity.PortalUser u) =>
        new(u.Id, u.UserName ?? "", u.GivenName, u.Surname, u.DisplayName, u.Email);
}
