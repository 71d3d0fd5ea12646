using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Pki;
using CertTokenPortal.Core.CaConnectors.Publication;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.CaConnectors.Local;

/// <summary>
/// Publishes a local CA's CRL with the next CRL number. Safe with several portal instances and concurrent publishers
/// without locks: the new CRL is stored only if the number it follows is still the stored one
/// (<c>UPDATE ... WHERE CrlNumber = old</c>); whoever loses rebuilds on the new state and tries again.
/// </summary>
public sealed class LocalCrlPublisher(IDbContextFactory<PortalDbContext> dbFactory, LocalCaKeyStore keys, TimeProvider clock,
    PublicArtifactCache publicArtifacts, IDatabaseChangeSignal changes)
{
    private const int MaxAttempts = 50;

    public async Task<CrlInfo> PublishAsync(int caConnectorId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            // The number is read before the revocations: a revocation committed after this read is either in the
            // list below or makes a concurrent, later-numbered CRL that wins the conditional update.
            var state = await db.LocalCas.AsNoTracking()
                .Where(l => l.CaConnectorId == caConnectorId)
                .Select(l => new { l.CrlNumber, l.CrlValidityDays })
                .SingleAsync(cancellationToken);
            var revoked = await db.IssuedCertificates.AsNoTracking()
                .Where(c => c.CaConnectorId == caConnectorId && c.Status == IssuedCertificateStatus.Revoked)
                .OrderBy(c => c.Id)
                .Select(c => new RevokedEntry(c.SerialNumber, c.RevokedAt ?? c.IssuedAt, (RevocationReason)(c.RevocationReason ?? 0)))
                .ToListAsync(cancellationToken);
            var signer = await keys.GetSignerAsync(caConnectorId, cancellationToken);

            var now = clock.GetUtcNow();
            var thisUpdate = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
            var nextUpdate = thisUpdate.AddDays(state.CrlValidityDays);
            var number = state.CrlNumber + 1;
            var der = CrlBuilder.Build(signer, number, thisUpdate, nextUpdate, revoked);

            var stored = await db.LocalCas
                .Where(l => l.CaConnectorId == caConnectorId && l.CrlNumber == state.CrlNumber)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(l => l.CrlNumber, number)
                    .SetProperty(l => l.CrlDer, der)
                    .SetProperty(l => l.CrlThisUpdate, thisUpdate.UtcDateTime)
                    .SetProperty(l => l.CrlNextUpdate, nextUpdate.UtcDateTime)
                    .SetProperty(l => l.CrlRevokedCount, revoked.Count), cancellationToken);
            if (stored == 1)
            {
                publicArtifacts.Invalidate();
                changes.Changed();
                return new CrlInfo(number, thisUpdate.UtcDateTime, nextUpdate.UtcDateTime, revoked.Count, der);
            }
            // Another publisher stored this number first; a short random pause keeps two losers from colliding again.
            await Task.Delay(Random.Shared.Next(1, 10 + attempt * 5), cancellationToken);
        }
        throw new InvalidOperationException($"The CRL of CA connector {caConnectorId} could not be published: {MaxAttempts} concurrent publications won over it.");
    }

    public async Task<CrlInfo?> GetCurrentAsync(int caConnectorId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var current = await db.LocalCas.AsNoTracking()
            .Where(l => l.CaConnectorId == caConnectorId && l.CrlDer != null)
            .Select(l => new { l.CrlNumber, l.CrlThisUpdate, l.CrlNextUpdate, l.CrlRevokedCount, l.CrlDer })
            .SingleOrDefaultAsync(cancellationToken);
        return current is null
            ? null
            : new CrlInfo(current.CrlNumber, current.CrlThisUpdate!.Value, current.CrlNextUpdate!.Value, current.CrlRevokedCount, current.CrlDer!);
    }
}
