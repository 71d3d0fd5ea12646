using System.Runtime.InteropServices;

namespace CertTokenPortal.Core.Startup;

/// <summary>
/// Makes sure the data directory exists, can be written, and is readable by the portal's account only: on Linux the
/// folder is 0700 and every file in it 0600 (the database and the key ring hold the portal's secrets).
/// </summary>
public static partial class DataDirectory
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> if needed, restricts it to the owner and proves it writable; throws <see cref="PortalStartupException"/> naming the path otherwise.</summary>
    public static void EnsureWritable(string path)
    {
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                // Files the portal creates from now on (SQLite's database, journal and WAL, the key ring) are 0600
                // and folders 0700, whatever the umask of the service manager was.
                umask(0b000_111_111);
                Directory.CreateDirectory(path, OwnerOnlyFolder);
            }
            else
            {
                Directory.CreateDirectory(path);
            }
            var probe = Path.Combine(path, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            Restrict(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new PortalStartupException(
                $"The data directory '{path}' cannot be created or written ({e.Message}). " +
                "Set Portal:DataDirectory to a folder the portal may write to.", e);
        }
    }

    /// <summary>Sets 0700 on <paramref name="path"/> and its folders and 0600 on its files (those of an older install included).</summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(path))
        {
            return;
        }
        File.SetUnixFileMode(path, OwnerOnlyFolder);
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LinkTarget is not null)
            {
                continue;
            }
            entry.UnixFileMode = entry is DirectoryInfo ? OwnerOnlyFolder : OwnerOnlyFile;
        }
    }

    [DllImport("libc", SetLastError = false)]
#pragma warning disable SYSLIB1054 // one call at start-up; LibraryImport would need unsafe code enabled for the whole assembly
    private static extern uint umask(uint mask);
#pragma warning restore SYSLIB1054
}
