using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Tokens;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.ApiBench;

/// <summary>Fills the portal's database with tokens directly (the portal process is stopped meanwhile).</summary>
internal static class TokenSeeder
{
    public static Task SeedAsync(string dataDirectory, int total) => SeedAsync(new DbContextOptionsBuilder<PortalDbContext>()
        .UseSqlite($"Data Source={Path.Combine(dataDirectory, "portal.db")}").Options, total);

    public static async Task SeedAsync(DbContextOptions<PortalDbContext> options, int total)
    {
        await using var db = new PortalDbContext(options);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var existing = await db.Tokens.CountAsync();
        var now = DateTime.UtcNow;
        var random = new Random(42);
        for (var i = existing; i < total; i++)
        {
            db.Tokens.Add(new CertificateToken
            {
                Serial = $"CRT{i:X8}",
                OwnerUserName = $"user{i % 5000:D4}",
                OwnerRealm = "default",
                Description = "",
                RolloutState = RolloutState.Enrolled,
                EnrolmentMode = EnrolmentModes.Request,
                CaName = "localCA",
                TemplateName = "user",
                Subject = $"CN=user{i % 5000:D4}",
                Issuer = "CN=CertTokenPortal Root CA",
                CertificateSerial = Convert.ToHexString(Guid.NewGuid().ToByteArray()),
                NotBefore = now.AddDays(-random.Next(0, 300)),
                NotAfter = now.AddDays(random.Next(1, 365)),
                KeyDescription = "RSA 2048",
                CreatedBy = "bench",
                CreatedAt = now,
                UpdatedAt = now,
                Version = Guid.NewGuid(),
            });
            if ((i + 1) % 5000 == 0)
            {
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }
        await db.SaveChangesAsync();
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }
    }
}
