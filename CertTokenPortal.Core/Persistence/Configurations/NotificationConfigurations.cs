using CertTokenPortal.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CertTokenPortal.Core.Persistence.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> m)
    {
        m.ToTable("OutboxMessages");
        m.Property(e => e.Kind).HasConversion<string>().HasMaxLength(32);
        m.Property(e => e.State).HasConversion<string>().HasMaxLength(16);
        m.Property(e => e.Recipient).HasMaxLength(320);
        m.Property(e => e.Subject).HasMaxLength(NotificationTemplate.MaxSubjectLength);
        m.Property(e => e.Serial).HasMaxLength(32);
        m.Property(e => e.ClaimedBy).HasMaxLength(200);
        m.Property(e => e.LastError).HasMaxLength(1000);
        // The sender's question: which pending messages are due.
        m.HasIndex(e => new { e.State, e.NextAttemptAt });
    }
}

internal sealed class ExpiryNoticeConfiguration : IEntityTypeConfiguration<ExpiryNotice>
{
    public void Configure(EntityTypeBuilder<ExpiryNotice> n)
    {
        n.ToTable("ExpiryNotices");
        n.Property(e => e.TokenSerial).HasMaxLength(32);
        n.Property(e => e.CertificateSerial).HasMaxLength(64);
        n.HasIndex(e => new { e.TokenSerial, e.CertificateSerial, e.ThresholdDays }).IsUnique();
    }
}

internal sealed class NotificationTemplateConfiguration : IEntityTypeConfiguration<NotificationTemplate>
{
    public void Configure(EntityTypeBuilder<NotificationTemplate> t)
    {
        t.ToTable("NotificationTemplates");
        t.HasKey(e => e.Kind);
        t.Property(e => e.Kind).HasConversion<string>().HasMaxLength(32);
        t.Property(e => e.Subject).HasMaxLength(NotificationTemplate.MaxSubjectLength);
        t.Property(e => e.TextBody).HasMaxLength(NotificationTemplate.MaxBodyLength);
        t.Property(e => e.HtmlBody).HasMaxLength(NotificationTemplate.MaxBodyLength);
        t.Property(e => e.UpdatedBy).HasMaxLength(256);
    }
}

internal sealed class MailSettingsRecordConfiguration : IEntityTypeConfiguration<MailSettingsRecord>
{
    public void Configure(EntityTypeBuilder<MailSettingsRecord> s)
    {
        s.ToTable("MailSettings");
        s.Property(e => e.Id).ValueGeneratedNever();
        s.Property(e => e.Security).HasConversion<string>().HasMaxLength(16);
        s.Property(e => e.Host).HasMaxLength(255);
        s.Property(e => e.UserName).HasMaxLength(256);
        s.Property(e => e.From).HasMaxLength(320);
        s.Property(e => e.ServerCertificateSha256).HasMaxLength(64);
        s.Property(e => e.ExpiryWarningDays).HasMaxLength(100);
        s.Property(e => e.UpdatedBy).HasMaxLength(256);
    }
}
