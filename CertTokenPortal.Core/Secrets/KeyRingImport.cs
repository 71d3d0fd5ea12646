using CertTokenPortal.Core.Persistence;
using CertTokenPortal.Core.Startup;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CertTokenPortal.Core.Secrets;

/// <summary>
/// Moves the Data Protection keys of an earlier portal version, kept as files in <c>&lt;data directory&gt;/keys</c>, into
/// the database, before anything decrypts with the key ring: without them the stored CA keys, PKCS#12 files and the JWT
/// signing key could not be read. Keys already in the database are left alone, so this is safe on every start.
/// </summary>
internal sealed partial class KeyRingImport(PortalDbContext db, KeyRingImport.LegacyKeyRing legacy, ILogger<KeyRingImport> logger) : IStartupTask
{
    /// <summary>Where earlier versions kept the key ring.</summary>
    public sealed record LegacyKeyRing(string Directory);

    public int Order => 1;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(legacy.Directory))
        {
            return;
        }
        var known = (await db.DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync(cancellationToken)).ToHashSet();
        var imported = 0;
        foreach (var file in Directory.EnumerateFiles(legacy.Directory, "*.xml"))
        {
            // The file repository names each file after the key's friendly name; the database repository keeps that name.
            var name = Path.GetFileNameWithoutExtension(file);
            if (known.Contains(name))
            {
                continue;
            }
            db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = name, Xml = await File.ReadAllTextAsync(file, cancellationToken) });
            imported++;
        }
        if (imported > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            LogImported(logger, imported, legacy.Directory);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Moved {Count} Data Protection key(s) from {Directory} into the database; the folder is no longer read and may be deleted once a backup holds the database.")]
    private static partial void LogImported(ILogger logger, int count, string directory);
}
