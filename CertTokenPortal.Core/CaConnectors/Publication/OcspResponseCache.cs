using System.Collections.Concurrent;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors.Publication;

/// <summary>
/// Signed OCSP answers kept per CA and request, so that a relying party asking again about the same certificates costs
/// one indexed read instead of a connector look-up, a ledger query and a signature. An answer is reused while the CA's
/// stamp holds: the connector's id and <c>UpdatedAt</c>, and its revocation version
/// (<see cref="RevocationVersionName"/>, bumped in the transaction that revokes or releases one of its certificates),
/// read from the database again whenever something may have been committed since it was last read
/// (<see cref="IDatabaseChangeSignal"/>), so a revocation on any instance is answered by every instance at once
/// (on PostgreSQL: once its notification has arrived).
/// </summary>
/// <remarks>
/// Only answers that <see cref="OcspResponseBuilder.IsReusable"/> allows are kept (no nonce, no "unknown"), for at
/// most <see cref="MaxAge"/> so that their thisUpdate stays recent. Connectors without a local CA row are not cached.
/// </remarks>
public sealed class OcspResponseCache(IDbContextFactory<PortalDbContext> dbFactory, IDatabaseChangeSignal changes, TimeProvider clock)
{
    /// <summary>How long one signed answer is handed out again before it is signed anew.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    /// <summary>Beyond this many answers the cache starts over (memory stays bounded whatever clients send).</summary>
    public const int MaxEntries = 10_000;

    // Per instance, for the reason PublicArtifactCache gives: a compiled query keeps the provider it first ran with.
    private readonly Func<PortalDbContext, string, string, CancellationToken, Task<Stamp?>> _stampQuery =
        EF.CompileAsyncQuery((PortalDbContext db, string name, string versionName, CancellationToken ct) =>
            db.LocalCas.Where(l => l.CaConnector.Name == name)
                .Select(l => new Stamp(l.CaConnectorId, l.CaConnector.UpdatedAt,
                    db.CacheVersions.Where(v => v.Name == versionName).Select(v => v.Version).FirstOrDefault()))
                .FirstOrDefault());

    private readonly ConcurrentDictionary<(string Ca, string Request), Entry> _entries = new();
    private readonly Cluster.StampedCache<string, Stamp> _stamps = VerifiedStamps.Under<Stamp>(changes);

    /// <summary>The name of the version stamp of <paramref name="caName"/>'s certificate statuses.</summary>
    public static string RevocationVersionName(string caName) => $"ca-revocations:{caName}";

    /// <summary>A kept answer to <paramref name="requestDer"/> while the CA's stamp holds; otherwise <paramref name="respond"/>'s.</summary>
    public async Task<Result<byte[]>> GetAsync(string caName, byte[] requestDer, Func<CancellationToken, Task<Result<byte[]>>> respond,
        CancellationToken ct)
    {
        var key = (caName, Convert.ToBase64String(requestDer));
        var stamp = await _stamps.GetAsync(caName, ReadStampAsync, ct);
        var now = clock.GetUtcNow();
        if (stamp is not null && _entries.TryGetValue(key, out var entry) && entry.Stamp == stamp && now - entry.SignedAt < MaxAge)
        {
            return entry.Response;
        }
        // Answered after the stamp was read: at worst newer than its stamp, which the next request's check replaces.
        var answer = await respond(ct);
        if (stamp is not null && answer.IsSuccess && OcspResponseBuilder.IsReusable(requestDer, answer.Value))
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }
            _entries[key] = new Entry(stamp, answer.Value, now);
        }
        return answer;
    }

    private async Task<Stamp?> ReadStampAsync(string caName, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await _stampQuery(db, caName, RevocationVersionName(caName), ct);
    }

    private sealed record Stamp(int CaConnectorId, DateTime UpdatedAt, long RevocationVersion);

    private sealed record Entry(Stamp Stamp, byte[] Response, DateTimeOffset SignedAt);
}
