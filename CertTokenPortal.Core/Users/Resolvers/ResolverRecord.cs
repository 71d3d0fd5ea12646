using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CertTokenPortal.Core.Users.Resolvers;

/// <summary>
/// A configured user resolver: its kind and its settings in privacyIDEA's names. The bind password is kept apart,
/// encrypted with <see cref="Secrets.ISecretProtector"/>, so that the settings can be shown without it.
/// </summary>
public class ResolverRecord
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    /// <summary><see cref="ResolverKinds.Ldap"/> (the built-in local accounts are not stored).</summary>
    public string Type { get; set; } = "";
    /// <summary>The kind's settings as a JSON object of privacyIDEA parameter names, without any secret.</summary>
    public string SettingsJson { get; set; } = "{}";
    public byte[]? EncryptedBindPassword { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A realm: an ordered list of resolvers (lowest priority number asked first); at most one is the default.</summary>
public class RealmRecord
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public bool IsDefault { get; set; }
    /// <summary>The resolvers as a JSON array of {"name","priority"}, in the order they are asked.</summary>
    public string ResolversJson { get; set; } = "[]";
    public DateTime UpdatedAt { get; set; }
}

internal sealed class ResolverRecordConfiguration : IEntityTypeConfiguration<ResolverRecord>
{
    public void Configure(EntityTypeBuilder<ResolverRecord> resolver)
    {
        resolver.ToTable("Resolvers");
        resolver.Property(r => r.Name).HasMaxLength(64).IsRequired();
        resolver.Property(r => r.Type).HasMaxLength(32).IsRequired();
        resolver.HasIndex(r => r.Name).IsUnique();
    }
}

internal sealed class RealmRecordConfiguration : IEntityTypeConfiguration<RealmRecord>
{
    public void Configure(EntityTypeBuilder<RealmRecord> realm)
    {
        realm.ToTable("Realms");
        realm.Property(r => r.Name).HasMaxLength(64).IsRequired();
        realm.HasIndex(r => r.Name).IsUnique();
    }
}
