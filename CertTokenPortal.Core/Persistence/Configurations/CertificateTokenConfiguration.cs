using CertTokenPortal.Core.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CertTokenPortal.Core.Persistence.Configurations;

internal sealed class CertificateTokenConfiguration : IEntityTypeConfiguration<CertificateToken>
{
    public void Configure(EntityTypeBuilder<CertificateToken> token)
    {
        token.ToTable("Tokens");
        token.Property(t => t.Serial).HasMaxLength(32).IsRequired();
        token.Property(t => t.OwnerUserName).HasMaxLength(256).IsRequired();
        token.Property(t => t.OwnerRealm).HasMaxLength(128).IsRequired();
        // No foreign key: a deleted account's tokens keep their history, and their owner id then names nobody.
        token.Property(t => t.OwnerId).HasMaxLength(450);
        token.Property(t => t.Description).HasMaxLength(1024);
        token.Property(t => t.EnrolmentMode).HasMaxLength(16);
        token.Property(t => t.RolloutState).HasConversion<string>().HasMaxLength(16);
        token.Property(t => t.CaName).HasMaxLength(128);
        token.Property(t => t.TemplateName).HasMaxLength(128);
        token.Property(t => t.RequestId).HasMaxLength(128);
        token.Property(t => t.CertificateSerial).HasMaxLength(64);
        token.Property(t => t.Subject).HasMaxLength(1024);
        token.Property(t => t.Issuer).HasMaxLength(1024);
        token.Property(t => t.KeyDescription).HasMaxLength(32);
        token.Property(t => t.PinHash).HasMaxLength(256);
        token.Property(t => t.RevocationReason).HasMaxLength(32);
        token.Property(t => t.AttestationInfo).HasMaxLength(2048);
        token.Property(t => t.UploadTrust).HasMaxLength(512);
        token.Property(t => t.CreatedBy).HasMaxLength(256);
        token.Property(t => t.Version).IsConcurrencyToken();

        // The grid and the API filter on these.
        token.HasIndex(t => t.Serial).IsUnique();
        // Owner name first: the API filters by user alone (privacyIDEA's user parameter), or by user and realm.
        token.HasIndex(t => new { t.OwnerUserName, t.OwnerRealm });
        token.HasIndex(t => t.OwnerRealm);
        // A user's own list, and a rename's update of the owner name.
        token.HasIndex(t => t.OwnerId);
        token.HasIndex(t => t.RolloutState);
        token.HasIndex(t => t.NotAfter);
        token.HasIndex(t => t.CaName);
        token.HasIndex(t => t.CreatedAt);
    }
}
