using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>
/// A portal running as its own process (the built or the published CertTokenPortal.dll), in Production, on a free port
/// of 127.0.0.1 — what an operator runs. For what only real processes show: several instances on one database, a
/// crash, the published static assets.
/// </summary>
public sealed partial class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PortalProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = default!;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The CertTokenPortal.dll built next to the tests.</summary>
    public static string BuiltDll => Path.Combine(AppContext.BaseDirectory, "CertTokenPortal.dll");

    /// <summary>Starts <paramref name="dll"/> with <paramref name="settings"/> (as environment variables) and waits until it listens.</summary>
    public static async Task<PortalProcess> StartAsync(string dll, IDictionary<string, string?> settings, TimeSpan? patience = null)
    {
        var start = new ProcessStartInfo(DotnetHost(), [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__")] = value;
        }
        var portal = new PortalProcess(Process.Start(start) ?? throw new InvalidOperationException("The portal process did not start."));
        portal._process.OutputDataReceived += (_, e) => portal.Receive(e.Data);
        portal._process.ErrorDataReceived += (_, e) => portal.Receive(e.Data);
        portal._process.BeginOutputReadLine();
        portal._process.BeginErrorReadLine();
        try
        {
            portal.BaseAddress = await portal._listening.Task.WaitAsync(patience ?? TimeSpan.FromMinutes(2));
            return portal;
        }
        catch (TimeoutException)
        {
            await portal.DisposeAsync();
            throw new TimeoutException($"The portal did not start listening. Output: {portal.Output}");
        }
    }

    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer(), UseCookies = true })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };

    /// <summary>A clean stop (SIGTERM, as systemd sends): hosted services stop and give up their leases.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            ExternalTool.Run("kill", ["-TERM", _process.Id.ToString()]);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>A crash (SIGKILL): nothing is cleaned up, transactions in flight are cut off.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();

    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
