using CertTokenPortal.Core.Configuration;
using CertTokenPortal.Core.Persistence;
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
/// </summary>
public sealed class SessionValidator(
    IDbContextFactory<PortalDbContext> dbFactory, IMemoryCache cache, IOptions<SessionSettings> settings, TimeProvider clock)
{
    private sealed record AccountState(string Role, string? SecurityStamp, DateTimeOffset? LockoutEnd);

    /// <summary>Whether the login described by <paramref name="claims"/> may go on.</summary>
    public async Task<bool> IsValidAsync(SessionClaims claims, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(claims.UserName) || string.IsNullOrEmpty(claims.SecurityStamp))
        {
            return false;
        }
        var state = await GetStateAsync(claims.UserName, ct);
        return state is not null
               && !(state.LockoutEnd is { } end && end > clock.GetUtcNow())
               && string.Equals(state.Role, claims.Role, StringComparison.Ordinal)
               && string.Equals(state.SecurityStamp, claims.SecurityStamp, StringComparison.Ordinal);
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
                         select new { u.SecurityStamp, u.LockoutEnd, Role = r != null ? r.Name : null })
            .FirstOrDefaultAsync(ct);
        var state = row is null ? null : new AccountState(row.Role ?? PortalRoles.User, row.SecurityStamp, row.LockoutEnd);
        cache.Set(key, state, TimeSpan.FromSeconds(settings.Value.CheckSeconds));
        return state;
    }

    private static string Key(string userName) => $"session-account:{userName.ToUpperInvariant()}";
}
