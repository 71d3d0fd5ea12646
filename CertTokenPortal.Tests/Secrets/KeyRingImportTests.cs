using CertTokenPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace CertTokenPortal.Tests.Secrets;

/// <summary>An earlier version's key ring in &lt;data directory&gt;/keys moves into the database, so what it encrypted stays readable.</summary>
[Trait("Category", "Unit")]
public sealed class KeyRingImportTests
{
    [Fact]
    public async Task RunAsync_FileKeyRingOfEarlierVersion_ImportedOnceAndItsDataStillDecrypts()
    {
        using var data = new TempDirectory("ctp-legacy");
        var legacy = DataProtectionProvider.Create(new DirectoryInfo(data.File("keys")), b => b.SetApplicationName("CertTokenPortal"));
        var secret = legacy.CreateProtector("ca-key").Protect("the CA key"u8.ToArray());
        var settings = new Dictionary<string, string?> { ["Portal:DataDirectory"] = data.Path };

        await using (var first = await CoreServices.StartAsync(settings))
        {
            Assert.Equal("the CA key"u8.ToArray(), first.Get<IDataProtectionProvider>().CreateProtector("ca-key").Unprotect(secret));
        }
        await using var second = await CoreServices.StartAsync(settings);

        await using var db = second.NewDb();
        var fileNames = Directory.GetFiles(data.File("keys"), "*.xml").Select(Path.GetFileNameWithoutExtension).ToList();
        var imported = await db.DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync();
        Assert.All(fileNames, name => Assert.Single(imported, i => i == name));
        Assert.Equal("the CA key"u8.ToArray(), second.Get<IDataProtectionProvider>().CreateProtector("ca-key").Unprotect(secret));
    }
}
