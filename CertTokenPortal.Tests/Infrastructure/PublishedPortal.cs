namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>
/// <c>dotnet publish -c Release</c> of the portal, as the README's Deploy section tells an operator, done once per test
/// run into a temp folder and shared by every test that needs the published output.
/// </summary>
public static class PublishedPortal
{
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    /// <summary>The published CertTokenPortal.dll.</summary>
    public static Task<string> GetDllAsync() => Published.Value;

    private static async Task<string> PublishAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), $"ctp-published-{Guid.NewGuid():N}");
        var project = Path.Combine(RepositoryRoot(), "CertTokenPortal", "CertTokenPortal.csproj");
        // Release has its own obj/bin folders, so publishing does not touch the Debug build the tests run from.
        var result = await Task.Run(() => ExternalTool.Run("dotnet", ["publish", project, "-c", "Release", "-o", output, "--nologo", "-v", "q"],
            timeout: TimeSpan.FromMinutes(10)));
        Assert.True(result.ExitCode == 0, $"dotnet publish failed: {result}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(output);
        return Path.Combine(output, "CertTokenPortal.dll");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CertTokenPortal.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("The tests do not run inside the repository: CertTokenPortal.sln not found above " + AppContext.BaseDirectory);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
