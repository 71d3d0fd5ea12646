using CertTokenPortal.Core.Startup;
using CertTokenPortal.Tests.Infrastructure;

namespace CertTokenPortal.Tests.Hosting;

/// <summary>Configuration and environment problems stop the start with a message for the operator, not a stack trace.</summary>
[Trait("Category", "Api")]
public sealed class StartupErrorTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public void EnsureWritable_MissingFolder_CreatesIt()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "a", "b");

        DataDirectory.EnsureWritable(path);

        Assert.True(Directory.Exists(path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(path));
    }

    [Fact]
    public void EnsureWritable_PathUnderAFile_ThrowsNamingThePath()
    {
        // Under a regular file no folder can exist, whatever the user's rights (tests may run as root).
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("not-a-folder"), "");
        var path = Path.Combine(temp.Path, "not-a-folder", "data");

        var error = Assert.Throws<PortalStartupException>(() => DataDirectory.EnsureWritable(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("Portal:DataDirectory", error.Message);
    }

    [Fact]
    public async Task StartAsync_AdminPasswordRefusedByRules_ThrowsSayingWhy()
    {
        var error = await Assert.ThrowsAsync<PortalStartupException>(() =>
            CoreServices.StartAsync(new Dictionary<string, string?> { ["Portal:Admin:Password"] = "weak" }));

        Assert.Contains("Portal:Admin:Password", error.Message);
        Assert.Contains("at least 8 characters", error.Message);
    }

    [Fact]
    public async Task Run_UnwritableDataDirectory_ExitsWithMessageNamingThePath()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("not-a-folder"), "");
        var path = Path.Combine(temp.Path, "not-a-folder", "data");

        var run = await BuiltPortal.RunUntilExitAsync(new Dictionary<string, string> { ["Portal__DataDirectory"] = path }, temp.Path, ProcessTimeout);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("CertTokenPortal cannot start", run.StandardError);
        Assert.Contains(path, run.StandardError);
        AssertNoStackTrace(run);
    }

    [Fact]
    public async Task Run_WeakAdminPassword_ExitsWithMessageSayingWhy()
    {
        using var temp = new TempDirectory();
        var environment = new Dictionary<string, string>
        {
            ["Portal__DataDirectory"] = Path.Combine(temp.Path, "data"),
            ["Portal__Admin__Password"] = "weak",
        };

        var run = await BuiltPortal.RunUntilExitAsync(environment, temp.Path, ProcessTimeout);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Portal:Admin:Password is refused by the password rules", run.StandardError);
        AssertNoStackTrace(run);
    }

    private static void AssertNoStackTrace(PortalRun run)
    {
        Assert.DoesNotContain("   at ", run.StandardError);
        Assert.DoesNotContain("   at ", run.StandardOutput);
    }
}
