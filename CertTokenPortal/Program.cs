using CertTokenPortal.Core;
using CertTokenPortal.Core.Startup;
using CertTokenPortal.Hosting;
using Microsoft.Extensions.Options;

try
{
    var backup = BackupCommand.TryParse(args, out var backupDirectory, out var hostArgs);
    var builder = WebApplication.CreateBuilder(hostArgs);
    builder.Configuration.AddOperatorSettings();
    // The build output (not only the published one) then serves the framework's and MudBlazor's assets in every
    // environment; in published output there is no manifest and this does nothing.
    builder.WebHost.UseStaticWebAssets();
    DataDirectory.EnsureWritable(PortalCoreServiceCollectionExtensions.ResolveDataDirectory(builder.Configuration, builder.Environment.ContentRootPath));

    builder.Services.AddPortalCore(builder.Configuration, builder.Environment.ContentRootPath);
    builder.Services.AddPortalWeb();
    builder.Services.AddPortalTransportSecurity(builder.Configuration);

    var app = builder.Build();
    if (backup)
    {
        return await BackupCommand.RunAsync(app, backupDirectory);
    }
    await app.PreparePortalAsync();
    app.UsePortal();
    await app.RunAsync();
    return 0;
}
catch (PortalStartupException e)
{
    // Configuration and environment problems are the operator's to fix: say what and where, without a stack trace.
    Console.Error.WriteLine($"CertTokenPortal cannot start: {e.Message}");
    return 1;
}
catch (OptionsValidationException e)
{
    Console.Error.WriteLine($"CertTokenPortal cannot start, the configuration is invalid: {string.Join(" ", e.Failures)}");
    return 1;
}

/// <summary>The entry point, public so that the tests' WebApplicationFactory can start the portal.</summary>
public partial class Program;
