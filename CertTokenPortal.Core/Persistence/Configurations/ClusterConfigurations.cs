using CertTokenPortal.Core.Cluster;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CertTokenPortal.Core.Persistence.Configurations;

internal sealed class ClusterLeaseConfiguration : IEntityTypeConfiguration<ClusterLease>
{
    public void Configure(EntityTypeBuilder<ClusterLease> lease)
    {
        lease.ToTable("ClusterLeases");
        lease.HasKey(l => l.Name);
        lease.Property(l => l.Name).HasMaxLength(64);
        lease.Property(l => l.Holder).HasMaxLength(128);
    }
}

internal sealed class CacheVersionConfiguration : IEntityTypeConfiguration<CacheVersion>
{
    public void Configure(EntityTypeBuilder<CacheVersion> version)
    {
        version.ToTable("CacheVersions");
        version.HasKey(v => v.Name);
        version.Property(v => v.Name).HasMaxLength(200);
    }
}
