using CertTokenPortal.Core.CaConnectors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using CertTokenPortal.Core.CaConnectors.Local;

namespace CertTokenPortal.Core.Persistence.Configurations;

internal sealed class CaConnectorConfiguration : IEntityTypeConfiguration<CaConnectorRecord>
{
    public void Configure(EntityTypeBuilder<CaConnectorRecord> ca)
    {
        ca.ToTable("CaConnectors");
        ca.Property(c => c.Name).HasMaxLength(128).IsRequired();
        ca.Property(c => c.Type).HasMaxLength(32).IsRequired();
        ca.Property(c => c.DefaultTemplate).HasMaxLength(128);
        ca.HasIndex(c => c.Name).IsUnique();

        ca.HasOne(c => c.LocalCa).WithOne(l => l.CaConnector)
            .HasForeignKey<LocalCaRecord>(l => l.CaConnectorId).OnDelete(DeleteBehavior.Cascade);
        ca.HasMany(c => c.Templates).WithOne(t => t.CaConnector)
            .HasForeignKey(t => t.CaConnectorId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LocalCaConfiguration : IEntityTypeConfiguration<LocalCaRecord>
{
    public void Configure(EntityTypeBuilder<LocalCaRecord> local)
    {
        local.ToTable("LocalCas");
        local.HasKey(l => l.CaConnectorId);
        local.Property(l => l.KeyDescription).HasMaxLength(32);
        local.Property(l => l.Subject).HasMaxLength(1024);
    }
}

internal sealed class CertificateTemplateConfiguration : IEntityTypeConfiguration<CertificateTemplateRecord>
{
    public void Configure(EntityTypeBuilder<CertificateTemplateRecord> template)
    {
        template.ToTable("CertificateTemplates");
        template.Property(t => t.Name).HasMaxLength(128).IsRequired();
        template.Property(t => t.KeyUsage).HasMaxLength(512);
        template.Property(t => t.ExtendedKeyUsage).HasMaxLength(1024);
        template.Property(t => t.SubjectComponents).HasMaxLength(128);
        // Rows from before these columns get their values from the migration's DATA MIGRATION lines.
        template.Property(t => t.SubjectSource).HasMaxLength(16);
        template.Property(t => t.AllowedRdns).HasMaxLength(256);
        template.Property(t => t.AllowedSanTypes).HasMaxLength(64);
        template.Property(t => t.DnsPatterns).HasMaxLength(2048);
        template.Property(t => t.EmailPatterns).HasMaxLength(2048);
        template.Property(t => t.SubjectCommonName).HasMaxLength(16).HasDefaultValue(Tokens.Enrolment.CommonNameSources.UserName);
        template.HasIndex(t => new { t.CaConnectorId, t.Name }).IsUnique();
    }
}

internal sealed class IssuedCertificateConfiguration : IEntityTypeConfiguration<IssuedCertificateRecord>
{
    public void Configure(EntityTypeBuilder<IssuedCertificateRecord> issued)
    {
        issued.ToTable("IssuedCertificates");
        issued.Property(i => i.SerialNumber).HasMaxLength(64).IsRequired();
        issued.Property(i => i.Subject).HasMaxLength(1024);
        issued.Property(i => i.Status).HasConversion<string>().HasMaxLength(16);
        issued.Property(i => i.TokenSerial).HasMaxLength(32);
        // A serial number is never used twice by one CA (RFC 5280 4.1.2.2), enforced by the database.
        issued.HasIndex(i => new { i.CaConnectorId, i.SerialNumber }).IsUnique();
        issued.HasIndex(i => new { i.CaConnectorId, i.Status });
        issued.HasOne<CaConnectorRecord>().WithMany().HasForeignKey(i => i.CaConnectorId).OnDelete(DeleteBehavior.Restrict);
    }
}
