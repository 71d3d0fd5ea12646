using CertTokenPortal.Core.Configuration;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Users.Resolvers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Identity;

/// <summary>
/// Slows down password guessing without letting anyone lock an account out: failed logins are counted per account
/// AND client address. After <see cref="LockoutSettings.MaxFailedAttempts"/> failures from one address, that address
/// waits before its next try for that account, 1 s, 2 s, 4 s... up to <see cref="LockoutSettings.Minutes"/>; the owner
/// logging in from elsewhere is not affected, and a success clears the count. Unknown names are counted like known
/// ones, so the answers tell nothing about which accounts exist. Every login door (browser, <c>/auth</c>, directory
/// logins) goes through here.
/// </summary>
/// <remarks>
/// The counts are rows of the database (<see cref="LoginFailureCount"/>), so several instances behind a balancer count
/// one attacker's tries together. A login reads one row by key; only a failure writes (an optimistic update or an
/// insert, retried when another instance wrote the same row meanwhile); a success deletes the row only when one
/// exists, so successful logins cost no write. <c>alice</c>, <c>alice@&lt;default realm&gt;</c> and <c>alice</c> with
/// the default realm given are one account and share a count.
/// </remarks>
public sealed class LoginThrottle(IDbContextFactory<PortalDbContext> dbFactory, RealmResolvers realms,
    IOptions<LockoutSettings> settings, TimeProvider clock)
{
    /// <summary>Longest stored key: a 64-character name, '@', a 64-character realm, '|', an IPv6 address with zone.</summary>
    public const int MaxKeyLength = 256;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private long _nextSweepTicks;

    /// <summary>How long the caller must wait before trying the account again from <paramref name="clientAddress"/>; null when it may try now.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string userName, string? realm, string? clientAddress, CancellationToken ct = default)
    {
        var key = await KeyAsync(userName, realm, clientAddress, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var blockedUntil = await db.LoginFailureCounts.AsNoTracking()
            .Where(c => c.Key == key && c.ExpiresAt > now).Select(c => (DateTime?)c.BlockedUntil).FirstOrDefaultAsync(ct);
        var wait = blockedUntil - now;
        return wait > TimeSpan.Zero ? wait : null;
    }

    /// <summary>Counts a failed login; returns how long the next attempt must wait (null when it need not).</summary>
    public async Task<TimeSpan?> RecordFailureAsync(string userName, string? realm, string? clientAddress, CancellationToken ct = default)
    {
        var key = await KeyAsync(userName, realm, clientAddress, ct);
        var limit = settings.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        // A quiet address is forgiven after twice the longest wait.
        var expiresAt = now.AddMinutes(limit.Minutes * 2.0);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await SweepAsync(db, now, ct);
        for (var attempt = 1; ; attempt++)
        {
            // An increment in the database: failures counted by several instances at once are all counted.
            if (await db.LoginFailureCounts.Where(c => c.Key == key && c.ExpiresAt > now)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Failures, c => c.Failures + 1).SetProperty(c => c.ExpiresAt, expiresAt), ct) == 1 ||
                await db.LoginFailureCounts.Where(c => c.Key == key && c.ExpiresAt <= now)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Failures, 1).SetProperty(c => c.BlockedUntil, now).SetProperty(c => c.ExpiresAt, expiresAt), ct) == 1)
            {
                break;
            }
            db.LoginFailureCounts.Add(new LoginFailureCount { Key = key, Failures = 1, BlockedUntil = now, ExpiresAt = expiresAt });
            try
            {
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another instance inserted the row first: count on top of its failure.
                db.ChangeTracker.Clear();
            }
        }

        var failures = await db.LoginFailureCounts.Where(c => c.Key == key).Select(c => c.Failures).FirstOrDefaultAsync(ct);
        if (failures < limit.MaxFailedAttempts)
        {
            return null;
        }
        // Only past the limit (an attack, not a typo) does a failure cost a second write.
        var exponent = Math.Min(failures - limit.MaxFailedAttempts, 20);
        var wait = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, exponent), limit.Minutes * 60.0));
        var blockedUntil = now + wait;
        await db.LoginFailureCounts.Where(c => c.Key == key && c.BlockedUntil < blockedUntil)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.BlockedUntil, blockedUntil), ct);
        return wait;
    }

    /// <summary>A successful login from <paramref name="clientAddress"/> clears its count for the account (no write when there is none).</summary>
    public async Task RecordSuccessAsync(string userName, string? realm, string? clientAddress, CancellationToken ct = default)
    {
        var key = await KeyAsync(userName, realm, clientAddress, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.LoginFailureCounts.AnyAsync(c => c.Key == key, ct))
        {
            return;
        }
        await db.LoginFailureCounts.Where(c => c.Key == key).ExecuteDeleteAsync(ct);
    }

    /// <summary>
    /// The account part: the name in upper case (as Identity compares names), and the realm unless it is the default
    /// realm, whether the realm came as a parameter or as "name@realm".
    /// </summary>
    private async Task<string> KeyAsync(string userName, string? realm, string? clientAddress, CancellationToken ct)
    {
        var name = userName.Trim();
        var defaultRealm = await realms.DefaultRealmAsync(ct);
        var at = name.LastIndexOf('@');
        if (string.IsNullOrWhiteSpace(realm) && at > 0 && string.Equals(name[(at + 1)..], defaultRealm, StringComparison.OrdinalIgnoreCase))
        {
            name = name[..at];
        }
        else if (!string.IsNullOrWhiteSpace(realm) && !string.Equals(realm.Trim(), defaultRealm, StringComparison.OrdinalIgnoreCase))
        {
            name = $"{name}@{realm.Trim()}";
        }
        var key = $"{name.ToUpperInvariant()}|{clientAddress ?? "-"}";
        return key.Length <= MaxKeyLength ? key : key[..MaxKeyLength];
    }

    /// <summary>Deletes expired counts, at most once a minute per instance and only on the failure path.</summary>
    private async Task SweepAsync(PortalDbContext db, DateTime now, CancellationToken ct)
    {
        var next = Interlocked.Read(ref _nextSweepTicks);
        if (now.Ticks < next || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).Ticks, next) != next)
        {
            return;
        }
        await db.LoginFailureCounts.Where(c => c.ExpiresAt <= now).ExecuteDeleteAsync(ct);
    }
}
