using System.Collections.Concurrent;

namespace CertTokenPortal.Core.Cluster;

/// <summary>
/// Values loaded from the database and kept in memory per key while a version holds: a version stamp
/// (<see cref="ICacheVersions"/>, one primary-key read per look-up), or the number of a
/// <see cref="Persistence.IDatabaseChangeSignal"/> (no read at all). A look-up whose version moved loads again, so a
/// change committed by any instance, which moves the version, is seen by the next look-up everywhere.
/// </summary>
/// <remarks>
/// The version is taken before the value it vouches for: a value loaded after it is at least as new as that version
/// (a change that slipped in between comes with a later version, so the next look-up loads again); taken the other way
/// round, an old value could be kept under a new version for as long as nothing else changed. A null version vouches
/// for nothing: the value is loaded and not kept. Only found values are kept: keys come from callers, and unknown ones
/// must not fill memory. Kept values are shared by concurrent callers, so they must not be changed by anyone who gets
/// one. With a <c>maxAge</c>, a value is loaded again after that long whatever the version says.
/// </remarks>
public sealed class StampedCache<TKey, TValue>(Func<CancellationToken, ValueTask<long?>> currentVersion, TimeSpan? maxAge = null)
    where TKey : notnull where TValue : class
{
    private readonly ConcurrentDictionary<TKey, (long Version, TValue Value, long KeptAt)> _entries = new();

    /// <summary>Values kept while the version stamp <paramref name="stampName"/> holds.</summary>
    public StampedCache(ICacheVersions versions, string stampName)
        : this(async ct => await versions.GetAsync(stampName, ct))
    {
    }

    /// <summary>The value of <paramref name="key"/> kept under the current version, or else <paramref name="load"/>'s (null: not found).</summary>
    public async Task<TValue?> GetAsync(TKey key, Func<TKey, CancellationToken, Task<TValue?>> load, CancellationToken ct)
    {
        var version = await currentVersion(ct);
        var now = Environment.TickCount64;
        if (version is { } current && _entries.TryGetValue(key, out var kept) && kept.Version == current
            && (maxAge is not { } age || now - kept.KeptAt < (long)age.TotalMilliseconds))
        {
            return kept.Value;
        }
        var value = await load(key, ct);
        if (version is { } loadedUnder && value is not null)
        {
            // A slower concurrent load may overwrite a newer entry with an older version: the next look-up then loads
            // once more, never trusts the older value under the newer version.
            _entries[key] = (loadedUnder, value, now);
        }
        else
        {
            _entries.TryRemove(key, out _);
        }
        return value;
    }
}
