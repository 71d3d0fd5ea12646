using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CertTokenPortal.Core.Identity;

/// <summary>
/// The failed logins of one account name from one client address (<see cref="LoginThrottle"/>), in the database so
/// that every portal instance counts the same failures. Written only on failures (and removed after a success that
/// follows some); forgotten at <see cref="ExpiresAt"/>.
/// </summary>
public class LoginFailureCount
{
    /// <summary>"ACCOUNT|address": the account in upper case, without its realm when that is the default realm.</summary>
    public string Key { get; set; } = "";
    public int Failures { get; set; }
    public DateTime BlockedUntil { get; set; }
    public DateTime ExpiresAt { get; set; }
}

internal sealed class LoginFailureCountConfiguration : IEntityTypeConfiguration<LoginFailureCount>
{
    public void Configure(EntityTypeBuilder<LoginFailureCount> count)
    {
        count.ToTable("LoginFailureCounts");
        count.HasKey(c => c.Key);
        count.Property(c => c.Key).HasMaxLength(LoginThrottle.MaxKeyLength);
        // Expired rows are swept by this index.
        count.HasIndex(c => c.ExpiresAt);
    }
}
