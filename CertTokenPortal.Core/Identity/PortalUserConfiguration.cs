using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CertTokenPortal.Core.Identity;

internal sealed class PortalUserConfiguration : IEntityTypeConfiguration<PortalUser>
{
    public void Configure(EntityTypeBuilder<PortalUser> user)
    {
        user.Property(u => u.Realm).HasMaxLength(128).IsRequired();
        user.HasIndex(u => u.Realm);
        user.Property(u => u.Resolver).HasMaxLength(64);
        user.Property(u => u.ExternalId).HasMaxLength(512);
        user.Property(u => u.DisplayName).HasMaxLength(256);
        user.Property(u => u.GivenName).HasMaxLength(128);
        user.Property(u => u.Surname).HasMaxLength(128);
        // One shadow account per directory user; local accounts (null resolver) are not constrained by it.
        user.HasIndex(u => new { u.Realm, u.Resolver, u.ExternalId }).IsUnique();
    }
}
