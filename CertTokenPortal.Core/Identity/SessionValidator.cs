using CertTokenPortal.Core.Configuration;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Users.DirectoryUsers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Identity;

/// <summary>What a login carries that must still match the account: its name, its role and its security stamp.</summary>
public sealed record SessionClaims(string UserName, string? Role, string? SecurityStamp);

/// <summary>
/// Decides whether a login (API JWT, browser cookie, open browser circuit) still stands: the account exists, is not
/// locked, has the same role and the same security stamp. Every password change or reset, lock and role change
/// writes a new stamp, so each of them ends all sessions of the account. The account's state is read from the
/// database and kept for <see cref="SessionSettings.CheckSeconds"/> seconds; a change made in this process drops
/// its entry at once, and another instance sees it when its entry expires, so several instances agree within seconds.
/// A directory user's session also needs the user still in their directory (<see cref="DirectorySessionCheck"/>); one
/// the directory no longer has gets a locked shadow account, which ends their sessions everywhere.
/// </summary>
public sealed class SessionValidator(
    IDbContextFactory<PortalDbContext> dbFactory, IMemoryCache cache, IOptions<SessionSettings> settings, TimeProvider clock,
    DirectorySessionCheck directory)
{
    private sealed record AccountState(string Id, string Role, string? SecurityStamp, DateTimeOffset? LockoutEnd, string Realm, string? Resolver, string? ExternalId);

    /// <summary>Whether the login described by <paramref name="claims"/> may go on.</summary>
    public async Task<bool> IsValidAsync(SessionClaims claims, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(claims.UserName) || string.IsNullOrEmpty(claims.SecurityStamp))
        {
            return false;
        }
        var state = await GetStateAsync(claims.UserName, ct);
        if (state is null
            || (state.LockoutEnd is { } end && end > clock.GetUtcNow())
            || !string.Equals(state.Role, claims.Role, StringComparison.Ordinal)
            || !string.Equals(state.SecurityStamp, claims.SecurityStamp, StringComparison.Ordinal))
        {
            return false;
        }
        if (state.Resolver is not null && state.ExternalId is not null &&
            !await directory.IsStillPresentAsync(state.Id, state.Realm, state.Resolver, state.ExternalId, ct))
        {
            // The shadow was just locked with a new stamp: every instance refuses it from the database from now on.
            Invalidate(claims.UserName);
            return false;
        }
        return true;
    }

    /// <summary>Forgets what is known about <paramref name="userName"/>, so this process checks the database again at the next request.</summary>
    public void Invalidate(string userName) => cache.Remove(Key(userName));

    private async Task<AccountState?> GetStateAsync(string userName, CancellationToken ct)
    {
        var key = Key(userName);
        if (cache.TryGetValue(key, out AccountState? cached))
        {
            return cached;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var normalized = userName.ToUpperInvariant();
        var row = await (from u in db.Users.AsNoTracking()
                         where u.NormalizedUserName == normalized
                         join ur in db.UserRoles on u.Id equals ur.UserId into urs
                         from ur in urs.DefaultIfEmpty()
                         join r in db.Roles on ur.RoleId equals r.Id into rs
                         from r in rs.DefaultIfEmpty()
                         select new { u.Id, u.SecurityStamp, u.LockoutEnd, u.Realm, u.Resolver, u.ExternalId, Role = r != null ? r.Name : null })
            .FirstOrDefaultAsync(ct);
        var state = row is null ? null : new AccountState(row.Id, row.Role ?? PortalRoles.User, row.SecurityStamp, row.LockoutEnd, row.Realm, row.Resolver, row.ExternalId);
        cache.Set(key, state, TimeSpan.FromSeconds(settings.Value.CheckSeconds));
        return state;
    }

    private static string Key(string userName) => $"session-account:{userName.ToUpperInvariant()}";
}
