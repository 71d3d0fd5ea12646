using System.Collections.Concurrent;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors.Publication;

/// <summary>What a cached public artifact is.</summary>
public enum PublicArtifactKind
{
    CaCertificate,
    Crl,
}

/// <summary>
/// Keeps each local CA's certificate and current CRL encoded in memory, so that relying parties fetching them cost no
/// database read, no parsing and no encoding. An entry is valid for the version stamp it was built under: the
/// connector's id and <c>UpdatedAt</c> (a re-created or changed CA) and the CRL number (a new CRL).
/// </summary>
/// <remarks>
/// This instance's own publications call <see cref="Invalidate"/>, so a revocation here is served at once. Other
/// instances notice the new stamp on their next check: the stamp (one indexed row) is read at most once per
/// <see cref="StampCheckInterval"/> per artifact, so with several instances a new CRL is served everywhere within that
/// interval. Connectors without a local CA row (approval) are not cached.
/// </remarks>
public sealed class PublicArtifactCache(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public static readonly TimeSpan StampCheckInterval = TimeSpan.FromSeconds(1);

    private static readonly Func<PortalDbContext, string, CancellationToken, Task<Stamp?>> StampQuery =
        EF.CompileAsyncQuery((PortalDbContext db, string name, CancellationToken ct) =>
            db.LocalCas.Where(l => l.CaConnector.Name == name)
                .Select(l => new Stamp(l.CaConnectorId, l.CaConnector.UpdatedAt, l.CrlNumber))
                .FirstOrDefault());

    private readonly ConcurrentDictionary<(string Ca, PublicArtifactKind Kind), Entry> _entries = new();
    private long _generation;

    /// <summary>The artifact from memory while its stamp holds; otherwise <paramref name="load"/> builds it anew.</summary>
    public async Task<Result<PublishedArtifact>> GetAsync(string caName, PublicArtifactKind kind,
        Func<CancellationToken, Task<Result<PublishedArtifact>>> load, CancellationToken ct)
    {
        var key = (caName, kind);
        var now = clock.GetTimestamp();
        var generation = Interlocked.Read(ref _generation);
        _entries.TryGetValue(key, out var entry);
        if (entry is not null && entry.Generation == generation && clock.GetElapsedTime(entry.CheckedAt, now) < StampCheckInterval)
        {
            return entry.Artifact;
        }

        Stamp? stamp;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            stamp = await StampQuery(db, caName, ct);
        }
        if (stamp is null)
        {
            _entries.TryRemove(key, out _);
            return await load(ct);
        }
        if (entry is not null && entry.Stamp == stamp)
        {
            _entries[key] = entry with { Generation = generation, CheckedAt = now };
            return entry.Artifact;
        }
        // Built after the stamp was read: at worst newer than its stamp, which the next check replaces.
        var loaded = await load(ct);
        if (loaded.IsSuccess)
        {
            _entries[key] = new Entry(stamp, loaded.Value, generation, now);
        }
        return loaded;
    }

    /// <summary>Makes every entry check its stamp on its next use (call after publishing a CRL or changing a CA).</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    private sealed record Stamp(int CaConnectorId, DateTime UpdatedAt, long CrlNumber);

    private sealed record Entry(Stamp Stamp, PublishedArtifact Artifact, long Generation, long CheckedAt);
}
