using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Policies;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Core.Persistence;

/// <summary>
/// The version stamp <see cref="Name"/> of what enrolment reads on every request (CA connectors with their templates,
/// enrolment policies), which the connector registry and the policy resolver keep in memory while it holds. Every
/// <see cref="PortalDbContext"/> save that adds, changes or deletes one of those rows bumps it in the same transaction.
/// </summary>
/// <remarks>
/// <para>
/// Central, in <see cref="PortalDbContext"/>'s SaveChanges, rather than a call in each command: many commands write these
/// rows (CA creation, import, subordinate CAs, updates, templates, policies, seeding), and a forgotten one would leave
/// every instance enrolling under an old configuration. In the context itself rather than in an EF interceptor: it
/// then holds for contexts made with any options, and a plain <c>try</c>/<c>await using</c> ends the transaction on
/// every failure (an interceptor hears of a failed save through several hooks, and not at all of some, such as an
/// optimistic-concurrency failure). Nothing writes these tables with <c>ExecuteUpdate</c>, <c>ExecuteDelete</c> or raw
/// SQL, which would pass by SaveChanges; code that does must call <see cref="BumpAsync"/> in its transaction (so must a
/// migration's data SQL that rewrites these rows: other instances may still be running).
/// </para>
/// <para>
/// A save that holds such a change runs in a transaction: the caller's, which the bump joins (the caller commits), or
/// one begun for it and committed right after the bump. Either way the new stamp becomes visible together with the
/// change and never before it, so a reader that sees the stamp also sees the change. A failed save rolls back the
/// transaction begun for it, so it leaves no bump.
/// </para>
/// <para>
/// The bump is one upsert on the same connection (<c>INSERT ... ON CONFLICT DO UPDATE</c>, on SQLite and PostgreSQL
/// alike): it needs no row made beforehand, so no start-up step and no <see cref="Cluster.ICacheVersions.EnsureAsync"/>
/// (whose own connection would wait for this transaction's write lock on SQLite), and a concurrent first bump on
/// PostgreSQL waits for the other instead of aborting the transaction.
/// </para>
/// </remarks>
public static class EnrolmentConfigurationStamp
{
    /// <summary>The stamp of CA connectors, their templates and enrolment policies.</summary>
    public const string Name = "enrolment-configuration";

    private static FormattableString BumpSql =>
        $"""INSERT INTO "CacheVersions" ("Name", "Version") VALUES ({Name}, 1) ON CONFLICT ("Name") DO UPDATE SET "Version" = "CacheVersions"."Version" + 1""";

    /// <summary>Whether <paramref name="db"/> is about to save a change this stamp covers.</summary>
    internal static bool IsChanging(DbContext db)
    {
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted &&
                entry.Entity is CaConnectorRecord or CertificateTemplateRecord or EnrolmentPolicy)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Bumps the stamp inside <paramref name="db"/>'s open transaction (it becomes visible with its commit).</summary>
    public static Task BumpAsync(DbContext db, CancellationToken ct) => db.Database.ExecuteSqlAsync(BumpSql, ct);

    internal static void Bump(DbContext db) => db.Database.ExecuteSql(BumpSql);
}
