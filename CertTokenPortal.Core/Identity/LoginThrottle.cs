using System.Globalization;
using CertTokenPortal.Core.Configuration;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Identity;

/// <summary>
/// Slows down password guessing without letting anyone lock an account out: failed logins are counted per account
/// name AND client address. After <see cref="LockoutSettings.MaxFailedAttempts"/> failures from one address, that
/// address waits before its next try for that name, 1 s, 2 s, 4 s... up to <see cref="LockoutSettings.Minutes"/>;
/// the owner logging in from elsewhere is not affected, and a success clears the count. Unknown names are counted
/// like known ones, so the answers tell nothing about which accounts exist. Every login door (browser, <c>/auth</c>,
/// directory logins) goes through here.
/// </summary>
/// <remarks>
/// Kept in <see cref="IDistributedCache"/>: in memory for one instance; several instances share it by registering a
/// shared cache (database, Redis) instead.
/// </remarks>
public sealed class LoginThrottle(IDistributedCache cache, IOptions<LockoutSettings> settings, TimeProvider clock)
{
    /// <summary>How long the caller must wait before trying <paramref name="userName"/> again from <paramref name="clientAddress"/>; null when it may try now.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string userName, string? clientAddress, CancellationToken ct = default)
    {
        var state = await ReadAsync(Key(userName, clientAddress), ct);
        var wait = state.BlockedUntil - clock.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : null;
    }

    /// <summary>Counts a failed login; returns how long the next attempt must wait (null when it need not).</summary>
    public async Task<TimeSpan?> RecordFailureAsync(string userName, string? clientAddress, CancellationToken ct = default)
    {
        var key = Key(userName, clientAddress);
        var state = await ReadAsync(key, ct);
        var failures = state.Failures + 1;
        var now = clock.GetUtcNow();
        var limit = settings.Value;
        TimeSpan? wait = null;
        var blockedUntil = state.BlockedUntil;
        if (failures >= limit.MaxFailedAttempts)
        {
            var exponent = Math.Min(failures - limit.MaxFailedAttempts, 20);
            wait = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, exponent), limit.Minutes * 60.0));
            blockedUntil = now + wait.Value;
        }
        var value = string.Create(CultureInfo.InvariantCulture, $"{failures}|{blockedUntil.UtcTicks}");
        await cache.SetStringAsync(key, value, new DistributedCacheEntryOptions
        {
            // A quiet address is forgiven after twice the longest wait.
            SlidingExpiration = TimeSpan.FromMinutes(limit.Minutes * 2),
        }, ct);
        return wait;
    }

    /// <summary>A successful login from <paramref name="clientAddress"/> clears its count for the account.</summary>
    public Task RecordSuccessAsync(string userName, string? clientAddress, CancellationToken ct = default) =>
        cache.RemoveAsync(Key(userName, clientAddress), ct);

    private readonly record struct State(int Failures, DateTimeOffset BlockedUntil);

    private async Task<State> ReadAsync(string key, CancellationToken ct)
    {
        var text = await cache.GetStringAsync(key, ct);
        var parts = text?.Split('|');
        return parts is [var f, var t] && int.TryParse(f, CultureInfo.InvariantCulture, out var failures) &&
               long.TryParse(t, CultureInfo.InvariantCulture, out var ticks)
            ? new State(failures, new DateTimeOffset(ticks, TimeSpan.Zero))
            : new State(0, DateTimeOffset.MinValue);
    }

    private static string Key(string userName, string? clientAddress) =>
        $"login-throttle:{userName.Trim().ToUpperInvariant()}|{clientAddress ?? "-"}";
}
