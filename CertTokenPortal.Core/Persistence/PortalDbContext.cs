using CertTokenPortal.Core.Audit;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.Identity;
using CertTokenPortal.Core.Tokens;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using CertTokenPortal.Core.CaConnectors.Local;

namespace CertTokenPortal.Core.Persistence;

/// <summary>
/// The one database of the portal: Identity's tables and the portal's own. Only portable EF Core features are used,
/// so that the same model runs on SQLite (embedded default) and on PostgreSQL (several portal instances); each provider
/// has its own migrations (see <see cref="PortalDatabase"/>).
/// </summary>
public class PortalDbContext(DbContextOptions<PortalDbContext> options) : IdentityDbContext<PortalUser>(options), IDataProtectionKeyContext
{
    public DbSet<CertificateToken> Tokens => Set<CertificateToken>();
    public DbSet<Tokens.Renewal.TokenCertificate> TokenCertificates => Set<Tokens.Renewal.TokenCertificate>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<CaConnectorRecord> CaConnectors => Set<CaConnectorRecord>();
    public DbSet<LocalCaRecord> LocalCas => Set<LocalCaRecord>();
    public DbSet<CertificateTemplateRecord> CertificateTemplates => Set<CertificateTemplateRecord>();
    public DbSet<IssuedCertificateRecord> IssuedCertificates => Set<IssuedCertificateRecord>();
    public DbSet<Policies.EnrolmentPolicy> Policies => Set<Policies.EnrolmentPolicy>();
    public DbSet<Attestation.AttestationRoot> AttestationRoots => Set<Attestation.AttestationRoot>();
    public DbSet<CaConnectors.Approval.PendingCertificateRequest> PendingCertificateRequests => Set<CaConnectors.Approval.PendingCertificateRequest>();
    public DbSet<Tokens.Info.TokenInfoEntry> TokenInfo => Set<Tokens.Info.TokenInfoEntry>();
    public DbSet<TokenOwnerLock> TokenOwnerLocks => Set<TokenOwnerLock>();
    public DbSet<Users.Resolvers.ResolverRecord> Resolvers => Set<Users.Resolvers.ResolverRecord>();
    public DbSet<Users.Resolvers.RealmRecord> Realms => Set<Users.Resolvers.RealmRecord>();
    public DbSet<Cluster.ClusterLease> ClusterLeases => Set<Cluster.ClusterLease>();
    public DbSet<Cluster.CacheVersion> CacheVersions => Set<Cluster.CacheVersion>();

    /// <summary>The Data Protection key ring: in the database, so every instance decrypts what another encrypted.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Notifications.OutboxMessage> OutboxMessages => Set<Notifications.OutboxMessage>();
    public DbSet<Notifications.ExpiryNotice> ExpiryNotices => Set<Notifications.ExpiryNotice>();
    public DbSet<Notifications.NotificationTemplate> NotificationTemplates => Set<Notifications.NotificationTemplate>();
    public DbSet<Notifications.MailSettingsRecord> MailSettings => Set<Notifications.MailSettingsRecord>();
    public DbSet<Identity.LoginFailureCount> LoginFailureCounts => Set<Identity.LoginFailureCount>();

    /// <summary>Saves; a change to CA connectors, templates or policies also bumps <see cref="EnrolmentConfigurationStamp"/>, in the same transaction.</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        if (!EnrolmentConfigurationStamp.IsChanging(this))
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        if (Database.CurrentTransaction is not null)
        {
            var joined = base.SaveChanges(acceptAllChangesOnSuccess);
            EnrolmentConfigurationStamp.Bump(this);
            return joined;
        }
        int saved;
        using (var transaction = Database.BeginTransaction())
        {
            saved = base.SaveChanges(acceptAllChangesOnSuccess: false);
            EnrolmentConfigurationStamp.Bump(this);
            transaction.Commit();
        }
        if (acceptAllChangesOnSuccess)
        {
            ChangeTracker.AcceptAllChanges();
        }
        return saved;
    }

    /// <inheritdoc cref="SaveChanges(bool)"/>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (!EnrolmentConfigurationStamp.IsChanging(this))
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        if (Database.CurrentTransaction is not null)
        {
            // The caller's transaction: the bump joins it, and shows only when the caller commits.
            var joined = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            await EnrolmentConfigurationStamp.BumpAsync(this, cancellationToken);
            return joined;
        }
        int saved;
        // Disposed uncommitted (a failed save or bump), the transaction rolls back: no change without its bump, no bump alone.
        await using (var transaction = await Database.BeginTransactionAsync(cancellationToken))
        {
            // Accepted only once committed, so a failed commit leaves the entities as they were, to be saved again.
            saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
            await EnrolmentConfigurationStamp.BumpAsync(this, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        if (acceptAllChangesOnSuccess)
        {
            ChangeTracker.AcceptAllChanges();
        }
        return saved;
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC. Providers hand DateTime back as Unspecified; mark it UTC on the way in so that
        // comparisons and ISO 8601 output are right, and so that PostgreSQL's timestamptz accepts it.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v.HasValue ? (v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime()) : v,
        v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}
