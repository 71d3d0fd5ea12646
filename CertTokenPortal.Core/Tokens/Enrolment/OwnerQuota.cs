using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Policies;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Tokens.Enrolment;

/// <summary>
/// Enforces <c>max_token_per_user</c> and <c>max_active_token_per_user</c> so that concurrent enrolments cannot both slip
/// under the limit. Inside the enrolment's transaction the owner's <see cref="TokenOwnerLock"/> row is updated
/// first; the database then makes a second enrolment for that owner wait until the first commits or rolls back
/// (PostgreSQL: the row lock; SQLite: EF's transactions begin IMMEDIATE, one writer at a time), and only then counts.
/// No lock lives in memory, so this holds across several portal instances.
/// </summary>
/// <remarks>
/// Tokens that hold or await a certificate count: enrolled (also revoked or disabled ones, as in privacyIDEA) and
/// pending. Failed and denied tokens never held a certificate and do not count.
/// </remarks>
public sealed class OwnerQuota(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>
    /// Creates the owner's lock row if it is missing, in its own small unit of work before the enrolment transaction
    /// (an insert inside it could fail on a concurrent insert and abort the transaction on PostgreSQL).
    /// </summary>
    public async Task EnsureLockRowAsync(CertificateOwner owner, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await LockRow(db, owner).AnyAsync(ct))
        {
            return;
        }
        db.TokenOwnerLocks.Add(new TokenOwnerLock { OwnerUserName = owner.UserName, OwnerRealm = owner.Realm });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique index: another enrolment created it a moment ago, which is just as good.
            if (!await LockRowExistsAsync(dbFactory, owner, ct))
            {
                throw;
            }
        }
    }

    /// <summary>Whether the effective policy sets a quota at all; without one there is nothing to count or to lock.</summary>
    public static bool Applies(EffectivePolicy policy) => policy.MaxTokens is not null || policy.MaxActiveTokens is not null;

    /// <summary>
    /// Takes the owner's lock (inside the caller's open transaction), then checks the quotas of the effective policy.
    /// A reached quota is a Conflict naming the policy. <paramref name="newToken"/> false: an existing token becomes
    /// active (enable), so only the active quota applies.
    /// </summary>
    public async Task<PortalError?> LockAndCheckAsync(PortalDbContext db, CertificateOwner owner, EffectivePolicy policy, CancellationToken ct,
        bool newToken = true)
    {
        var locked = await LockRow(db, owner).ExecuteUpdateAsync(s => s.SetProperty(l => l.Enrolments, l => l.Enrolments + 1), ct);
        if (locked != 1)
        {
            throw new InvalidOperationException($"The lock row of {owner.UserName}@{owner.Realm} is missing; EnsureLockRowAsync runs first.");
        }
        return await CheckAsync(db, owner, policy, ct, newToken);
    }

    /// <summary>
    /// Counts against the quotas without the lock. Alone it only gives an early answer (before keys are made and the
    /// CA is asked); the decisive count is the one <see cref="LockAndCheckAsync"/> takes under the lock.
    /// </summary>
    public static async Task<PortalError?> CheckAsync(PortalDbContext db, CertificateOwner owner, EffectivePolicy policy, CancellationToken ct,
        bool newToken = true)
    {
        if (!Applies(policy))
        {
            return null;
        }

        var held = Held(db, owner);
        if (newToken && policy.MaxTokens is { } max && await held.CountAsync(ct) is var count && count >= max.Value)
        {
            return PortalError.Conflict($"Policy '{max.PolicyName}' allows {owner.UserName} at most {max.Value} certificate token(s); {count} are held already.");
        }
        if (policy.MaxActiveTokens is { } maxActive && await held.CountAsync(t => t.Active, ct) is var active && active >= maxActive.Value)
        {
            return PortalError.Conflict($"Policy '{maxActive.PolicyName}' allows {owner.UserName} at most {maxActive.Value} active certificate token(s); {active} are active already.");
        }
        return null;
    }

    /// <summary>The owner's tokens as the quotas count them (held: enrolled or pending; and of those, active), for previews.</summary>
    public static async Task<(int Held, int Active)> CountAsync(PortalDbContext db, CertificateOwner owner, CancellationToken ct)
    {
        var held = Held(db, owner);
        return (await held.CountAsync(ct), await held.CountAsync(t => t.Active, ct));
    }

    private static IQueryable<CertificateToken> Held(PortalDbContext db, CertificateOwner owner) =>
        db.Tokens.AsNoTracking().Where(t => t.OwnerUserName == owner.UserName && t.OwnerRealm == owner.Realm &&
                                            (t.RolloutState == RolloutState.Enrolled || t.RolloutState == RolloutState.Pending));

    private static IQueryable<TokenOwnerLock> LockRow(PortalDbContext db, CertificateOwner owner) =>
        db.TokenOwnerLocks.Where(l => l.OwnerUserName == owner.UserName && l.OwnerRealm == owner.Realm);

    private static async Task<bool> LockRowExistsAsync(IDbContextFactory<PortalDbContext> dbFactory, CertificateOwner owner, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await LockRow(db, owner).AnyAsync(ct);
    }
}
