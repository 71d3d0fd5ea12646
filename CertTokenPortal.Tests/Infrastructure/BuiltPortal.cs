using System.Diagnostics;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>What a run of the built portal printed and how it ended.</summary>
public sealed record PortalRun(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs the built portal (the CertTokenPortal.dll next to the tests) as its own process, for what only a real start
/// shows: the exit code and what the operator reads on the console.
/// </summary>
public static class BuiltPortal
{
    /// <summary>Starts the portal with <paramref name="environment"/> and waits for it to exit; kills it and fails after <paramref name="timeout"/>.</summary>
    public static async Task<PortalRun> RunUntilExitAsync(IDictionary<string, string> environment, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "CertTokenPortal.dll")])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The portal process did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The portal did not exit within {timeout}. Output: {await stdout} {await stderr}");
        }
        return new PortalRun(process.ExitCode, await stdout, await stderr);
    }

    // The test host runs under the dotnet host; use the same one, so the run does not depend on PATH.
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
