using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Tokens;
using CertTokenPortal.Core.Tokens.Info;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CertTokenPortal.Core.Persistence.Configurations;

internal sealed class TokenInfoEntryConfiguration : IEntityTypeConfiguration<TokenInfoEntry>
{
    public void Configure(EntityTypeBuilder<TokenInfoEntry> entry)
    {
        entry.ToTable("TokenInfo");
        entry.Property(e => e.Key).HasMaxLength(InputLimits.MaxTokenInfoKeyLength).IsRequired();
        entry.Property(e => e.Value).HasMaxLength(InputLimits.MaxTokenInfoValueLength).IsRequired();
        // An entry lives and dies with its token.
        entry.HasOne<CertificateToken>().WithMany().HasForeignKey(e => e.TokenId).OnDelete(DeleteBehavior.Cascade);
        // One value per key and token; also the lookup of a token's entries.
        entry.HasIndex(e => new { e.TokenId, e.Key }).IsUnique();
        // infokey/infovalue filters by key first.
        entry.HasIndex(e => e.Key);
    }
}
