using System.Diagnostics;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>What an external program did: exit code and its output.</summary>
public sealed record ToolResult(string Command, int ExitCode, string StdOut, string StdErr)
{
    public string Output => StdOut + StdErr;

    public override string ToString() => $"{Command} exited {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}

/// <summary>
/// Runs the independent PKI implementations (openssl, GnuTLS certtool, NSS pk12util/certutil) from tests, with a
/// timeout, so that artifacts are judged by other stacks than the one that made them.
/// </summary>
public static class ExternalTool
{
    public static ToolResult Run(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        byte[]? standardInput = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var command = $"{program} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.BaseStream.Write(standardInput);
        }
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish in time.");
        }
        process.WaitForExit();
        return new ToolResult(command, process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs the program and fails the test, showing its output, when it exits with an error.</summary>
    public static ToolResult Succeeds(string program, params string[] arguments)
    {
        var result = Run(program, arguments);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public static ToolResult OpenSsl(params string[] arguments) => Succeeds("openssl", arguments);
}
