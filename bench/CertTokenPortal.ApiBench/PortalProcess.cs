using System.Diagnostics;

namespace CertTokenPortal.ApiBench;

/// <summary>The portal as its own process (Release build, Kestrel on loopback), on a data directory of the benchmark's.</summary>
internal sealed class PortalProcess : IAsyncDisposable
{
    public const string AdminPassword = "Bench-Admin-Passw0rd!";

    private readonly Process _process;

    private PortalProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<PortalProcess> StartAsync(string portalDll, string dataDirectory, int port,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { portalDll, "--urls", $"http://127.0.0.1:{port}" },
            WorkingDirectory = Path.GetDirectoryName(portalDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Portal__DataDirectory"] = dataDirectory;
        start.Environment["Portal__Admin__Password"] = AdminPassword;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("The portal did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"portal: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        using var probe = new HttpClient { BaseAddress = baseAddress };
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The portal exited with code {process.ExitCode}.");
            }
            try
            {
                if ((await probe.GetAsync("ca/localCA/cert")).IsSuccessStatusCode)
                {
                    return new PortalProcess(process, baseAddress);
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("The portal did not answer within 3 minutes.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
