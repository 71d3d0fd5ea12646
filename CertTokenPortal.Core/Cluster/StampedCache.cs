using System.Collections.Concurrent;

namespace CertTokenPortal.Core.Cluster;

/// <summary>
/// Values loaded from the database and kept in memory per key while one version stamp (<see cref="ICacheVersions"/>)
/// holds. Every look-up reads the stamp (one primary-key read) and loads the value again when it moved, so a change
/// committed by any instance, which bumps the stamp in its own transaction, is seen by the next look-up everywhere.
/// </summary>
/// <remarks>
/// The stamp is read before the value it vouches for: a value loaded after the read is at least as new as that stamp
/// (a change that slipped in between comes with a later stamp, so the next look-up loads again); read the other way
/// round, an old value could be kept under a new stamp for as long as nothing else changed. Only found values are kept:
/// keys come from callers, and unknown ones must not fill memory. Kept values are shared by concurrent callers, so
/// they must not be changed by anyone who gets one.
/// </remarks>
public sealed class StampedCache<TKey, TValue>(ICacheVersions versions, string stampName)
    where TKey : notnull where TValue : class
{
    private readonly ConcurrentDictionary<TKey, (long Stamp, TValue Value)> _entries = new();

    /// <summary>The name of the stamp this cache follows.</summary>
    public string StampName => stampName;

    /// <summary>The value of <paramref name="key"/> kept under the current stamp, or else <paramref name="load"/>'s (null: not found).</summary>
    public async Task<TValue?> GetAsync(TKey key, Func<TKey, CancellationToken, Task<TValue?>> load, CancellationToken ct)
    {
        var stamp = await versions.GetAsync(stampName, ct);
        if (_entries.TryGetValue(key, out var kept) && kept.Stamp == stamp)
        {
            return kept.Value;
        }
        var value = await load(key, ct);
        if (value is null)
        {
            _entries.TryRemove(key, out _);
        }
        else
        {
            // A slower concurrent load may overwrite a newer entry with an older stamp: the next look-up then loads
            // once more, never trusts the older value under the newer stamp.
            _entries[key] = (stamp, value);
        }
        return value;
    }
}
