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
/// The stamp is one indexed row, read again whenever something may have been committed since it was last read
/// (<see cref="IDatabaseChangeSignal"/>), so that a CRL published by any instance (or a changed CA) is served by every
/// instance at once (on PostgreSQL: once its notification has arrived). Connectors without a local CA row (approval) are not cached.
/// </remarks>
public sealed class PublicArtifactCache(IDbContextFactory<PortalDbContext> dbFactory, IDatabaseChangeSignal changes)
{
    // Per instance, not static: a compiled query keeps the provider it first ran with, and one process may host portals
    // on SQLite and on PostgreSQL side by side (the tests do); each portal has one cache and one provider.
    private readonly Func<PortalDbContext, string, CancellationToken, Task<Stamp?>> _stampQuery =
        EF.CompileAsyncQuery((PortalDbContext db, string name, CancellationToken ct) =>
            db.LocalCas.Where(l => l.CaConnector.Name == name)
                .Select(l => new Stamp(l.CaConnectorId, l.CaConnector.UpdatedAt, l.CrlNumber))
                .FirstOrDefault());

    private readonly ConcurrentDictionary<(string Ca, PublicArtifactKind Kind), Entry> _entries = new();
    private readonly Cluster.StampedCache<string, Stamp> _stamps = VerifiedStamps.Under<Stamp>(changes);

    /// <summary>The artifact from memory while its stamp holds; otherwise <paramref name="load"/> builds it anew.</summary>
    public async Task<Result<PublishedArtifact>> GetAsync(string caName, PublicArtifactKind kind,
        Func<CancellationToken, Task<Result<PublishedArtifact>>> load, CancellationToken ct)
    {
        var key = (caName, kind);
        _entries.TryGetValue(key, out var entry);
        var stamp = await _stamps.GetAsync(caName, ReadStampAsync, ct);
        if (stamp is null)
        {
            _entries.TryRemove(key, out _);
            return await load(ct);
        }
        if (entry is not null && entry.Stamp == stamp)
        {
            return entry.Artifact;
        }
        // Built after the stamp was read: at worst newer than its stamp, which the next check replaces.
        var loaded = await load(ct);
        if (loaded.IsSuccess)
        {
            _entries[key] = new Entry(stamp, loaded.Value);
        }
        return loaded;
    }

    private async Task<Stamp?> ReadStampAsync(string caName, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await _stampQuery(db, caName, ct);
    }

    /// <summary>Drops every entry (after publishing a CRL or deleting a CA; the stamp would catch it too, this frees the memory).</summary>
    public void Invalidate() => _entries.Clear();

    private sealed record Stamp(int CaConnectorId, DateTime UpdatedAt, long CrlNumber);

    private sealed record Entry(Stamp Stamp, PublishedArtifact Artifact);
}
