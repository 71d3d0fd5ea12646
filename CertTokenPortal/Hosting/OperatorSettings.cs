using Microsoft.Extensions.Configuration.Json;

namespace CertTokenPortal.Hosting;

/// <summary>
/// The operator edits one appsettings.json at the repository root. The build copies it next to the binaries; this
/// loads it with the precedence of an appsettings.json: after the built-in defaults, before environment variables
/// (<c>Portal__Admin__Password</c>) and the command line.
/// </summary>
internal static class OperatorSettings
{
    public static void AddOperatorSettings(this ConfigurationManager configuration)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var sources = configuration.Sources;
        var environmentIndex = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource);
        var source = new JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = false };
        source.ResolveFileProvider();
        if (environmentIndex < 0)
        {
            sources.Add(source);
        }
        else
        {
            sources.Insert(environmentIndex, source);
        }
    }
}
