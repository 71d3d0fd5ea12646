namespace CertTokenPortal.Core.Startup;

/// <summary>Makes sure the data directory exists and can be written, before anything tries to put a file in it.</summary>
public static class DataDirectory
{
    /// <summary>Creates <paramref name="path"/> if needed and proves it writable; throws <see cref="PortalStartupException"/> naming the path otherwise.</summary>
    public static void EnsureWritable(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new PortalStartupException(
                $"The data directory '{path}' cannot be created or written ({e.Message}). " +
                "Set Portal:DataDirectory to a folder the portal may write to.", e);
        }
    }
}
