using CertTokenPortal.Core.Attestation;
using CertTokenPortal.Core.CaConnectors;
using CertTokenPortal.Core.CaConnectors.Approval;
using CertTokenPortal.Core.Policies;
using CertTokenPortal.Core.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CertTokenPortal.Core.Persistence.Configurations;

internal sealed class EnrolmentPolicyConfiguration : IEntityTypeConfiguration<EnrolmentPolicy>
{
    public void Configure(EntityTypeBuilder<EnrolmentPolicy> policy)
    {
        policy.ToTable("Policies");
        policy.Property(p => p.Name).HasMaxLength(64).IsRequired();
        policy.Property(p => p.Scope).HasMaxLength(32).IsRequired();
        policy.Property(p => p.Action).HasMaxLength(PolicyActionString.MaxLength).IsRequired();
        policy.Property(p => p.Realms).HasMaxLength(1024);
        policy.Property(p => p.Roles).HasMaxLength(64);
        policy.Property(p => p.UpdatedBy).HasMaxLength(256);
        policy.HasIndex(p => p.Name).IsUnique();
    }
}

internal sealed class AttestationRootConfiguration : IEntityTypeConfiguration<AttestationRoot>
{
    public void Configure(EntityTypeBuilder<AttestationRoot> root)
    {
        root.ToTable("AttestationRoots");
        root.Property(r => r.Name).HasMaxLength(64).IsRequired();
        root.Property(r => r.Subject).HasMaxLength(1024);
        root.Property(r => r.Thumbprint).HasMaxLength(64).IsRequired();
        root.Property(r => r.CreatedBy).HasMaxLength(256);
        root.HasIndex(r => r.Name).IsUnique();
        root.HasIndex(r => r.Thumbprint).IsUnique();
    }
}

internal sealed class PendingCertificateRequestConfiguration : IEntityTypeConfiguration<PendingCertificateRequest>
{
    public void Configure(EntityTypeBuilder<PendingCertificateRequest> request)
    {
        request.ToTable("PendingCertificateRequests");
        request.Property(r => r.RequestId).HasMaxLength(64).IsRequired();
        request.Property(r => r.TemplateName).HasMaxLength(128);
        request.Property(r => r.OwnerUserName).HasMaxLength(256);
        request.Property(r => r.OwnerRealm).HasMaxLength(128);
        request.Property(r => r.OwnerEmail).HasMaxLength(256);
        request.Property(r => r.OwnerDisplayName).HasMaxLength(256);
        request.Property(r => r.SubjectComponents).HasMaxLength(128);
        request.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        request.Property(r => r.DecidedBy).HasMaxLength(256);
        request.Property(r => r.Reason).HasMaxLength(1024);
        request.HasIndex(r => r.RequestId).IsUnique();
        request.HasIndex(r => new { r.CaConnectorId, r.Status });
        // Decided requests go with their connector; a connector with undecided ones is kept by DeleteCaCommand's check.
        request.HasOne<CaConnectorRecord>().WithMany().HasForeignKey(r => r.CaConnectorId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TokenOwnerLockConfiguration : IEntityTypeConfiguration<TokenOwnerLock>
{
    public void Configure(EntityTypeBuilder<TokenOwnerLock> ownerLock)
    {
        ownerLock.ToTable("TokenOwnerLocks");
        ownerLock.Property(l => l.OwnerUserName).HasMaxLength(256).IsRequired();
        ownerLock.Property(l => l.OwnerRealm).HasMaxLength(128).IsRequired();
        ownerLock.HasIndex(l => new { l.OwnerRealm, l.OwnerUserName }).IsUnique();
    }
}
