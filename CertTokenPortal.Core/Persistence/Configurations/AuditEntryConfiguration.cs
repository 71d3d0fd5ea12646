using CertTokenPortal.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CertTokenPortal.Core.Persistence.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("AuditEntries");
        entry.Property(e => e.UserName).HasMaxLength(256);
        entry.Property(e => e.Realm).HasMaxLength(128);
        entry.Property(e => e.Role).HasMaxLength(32);
        entry.Property(e => e.ClientAddress).HasMaxLength(64);
        entry.Property(e => e.Action).HasMaxLength(64);
        entry.Property(e => e.Serial).HasMaxLength(32);
        entry.Property(e => e.TargetUser).HasMaxLength(256);
        entry.Property(e => e.CaName).HasMaxLength(128);
        entry.Property(e => e.Message).HasMaxLength(2048);

        entry.HasIndex(e => e.Timestamp);
        entry.HasIndex(e => new { e.Action, e.Timestamp });
        entry.HasIndex(e => e.Serial);
        entry.HasIndex(e => e.UserName);
    }
}
