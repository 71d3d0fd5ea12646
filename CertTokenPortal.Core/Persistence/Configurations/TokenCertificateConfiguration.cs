using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Renewal;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CertTokenPortal.Core.Persistence.Configurations;

internal sealed class TokenCertificateConfiguration : IEntityTypeConfiguration<TokenCertificate>
{
    public void Configure(EntityTypeBuilder<TokenCertificate> history)
    {
        history.ToTable("TokenCertificates");
        history.Property(c => c.TokenSerial).HasMaxLength(32).IsRequired();
        history.Property(c => c.State).HasMaxLength(16).IsRequired();
        history.Property(c => c.Origin).HasMaxLength(16).IsRequired();
        history.Property(c => c.Reason).HasMaxLength(1024);
        history.Property(c => c.CaName).HasMaxLength(128);
        history.Property(c => c.TemplateName).HasMaxLength(128);
        history.Property(c => c.RequestId).HasMaxLength(128);
        history.Property(c => c.CertificateSerial).HasMaxLength(64);
        history.Property(c => c.Subject).HasMaxLength(1024);
        history.Property(c => c.KeyDescription).HasMaxLength(32);
        history.Property(c => c.CreatedBy).HasMaxLength(256);
        // A token's rows go with it: deleting a token deletes its history (the audit log keeps what happened).
        history.HasOne(c => c.Token).WithMany().HasForeignKey(c => c.TokenId).OnDelete(DeleteBehavior.Cascade);
        history.HasIndex(c => new { c.TokenId, c.State });
        // The superseded-revocation job looks for rows whose grace period has ended.
        history.HasIndex(c => new { c.State, c.RevokeAfter });
    }
}
