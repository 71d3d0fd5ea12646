using System.Collections.Concurrent;
using CertTokenPortal.Core.Common;

namespace CertTokenPortal.Core.Users.Resolvers;

/// <summary>
/// A short cache of a resolver's answers (CACHE_TIMEOUT), so that a login, a session check and an enrolment in the
/// same minute ask the directory once. Failures are never cached: the next call asks again.
/// </summary>
internal sealed class LookupCache<T>(TimeSpan lifetime, TimeProvider clock)
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (T Value, DateTimeOffset Expires)> _entries = new();

    public async Task<Result<T>> GetOrAddAsync(string key, Func<Task<Result<T>>> load)
    {
        var now = clock.GetUtcNow();
        if (lifetime > TimeSpan.Zero && _entries.TryGetValue(key, out var hit) && hit.Expires > now)
        {
            return hit.Value;
        }
        var loaded = await load();
        if (lifetime > TimeSpan.Zero && loaded.TryGetValue(out var value, out _))
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }
            _entries[key] = (value, now + lifetime);
        }
        return loaded;
    }

    public Task<Result<T>> GetOrAddAsync(string key, Func<Task<Result<T>>> load, CancellationToken _) => GetOrAddAsync(key, load);

    public void Clear() => _entries.Clear();
}
