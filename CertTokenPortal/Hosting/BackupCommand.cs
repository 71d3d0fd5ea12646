using CertTokenPortal.Core.Persistence;

namespace CertTokenPortal.Hosting;

/// <summary>
/// <c>dotnet CertTokenPortal.dll backup &lt;directory&gt;</c>: backs up the database and the key ring in it while the
/// portal keeps running (same configuration as the portal: run it with the service's environment), then exits.
/// </summary>
internal static class BackupCommand
{
    /// <summary>Splits the command off the host's arguments: "backup &lt;directory&gt;" comes first.</summary>
    public static bool TryParse(string[] args, out string directory, out string[] hostArgs)
    {
        if (args.Length >= 1 && args[0] == "backup")
        {
            directory = args.Length >= 2 ? Path.GetFullPath(args[1]) : throw new Core.Startup.PortalStartupException("Usage: CertTokenPortal backup <directory>");
            hostArgs = args[2..];
            return true;
        }
        (directory, hostArgs) = ("", args);
        return false;
    }

    public static async Task<int> RunAsync(WebApplication app, string directory)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var manifest = await scope.ServiceProvider.GetRequiredService<DatabaseBackup>().CreateAsync(directory, CancellationToken.None);
        Console.WriteLine($"Backup of the {manifest.Provider} database (with the key ring) written to {Path.Combine(directory, manifest.File)}.");
        Console.WriteLine($"To restore: {manifest.RestoreHint}");
        return 0;
    }
}
