using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Core.Tokens.Renewal;

/// <summary>The <c>Portal:Renewal</c> section.</summary>
public sealed class RenewalJobOptions
{
    public const string Section = "Portal:Renewal";

    /// <summary>How often replaced certificates whose grace period has ended are looked for.</summary>
    [Range(1, 1440)]
    public int SupersededCheckIntervalMinutes { get; set; } = 15;
}

/// <summary>Runs <see cref="SupersededRevoker"/> on a timer (on <see cref="TimeProvider"/>), on one instance of a cluster.</summary>
internal sealed partial class SupersededRevocationService(
    IServiceScopeFactory scopes,
    Cluster.ClusterLeases leases,
    IOptions<RenewalJobOptions> options,
    TimeProvider clock,
    ILogger<SupersededRevocationService> logger) : Cluster.LeasedPeriodicJob(LeaseName, scopes, leases, clock)
{
    public const string LeaseName = "superseded-revocation";

    protected override TimeSpan Interval => TimeSpan.FromMinutes(options.Value.SupersededCheckIntervalMinutes);

    protected override async Task RunOnceAsync(IServiceProvider scoped, CancellationToken ct)
    {
        var revoked = await scoped.GetRequiredService<SupersededRevoker>().RevokeDueAsync(null, ct);
        if (revoked > 0)
        {
            LogRevoked(logger, revoked);
        }
    }

    protected override void LogFailure(Exception exception) => LogFailed(logger, exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} superseded certificates revoked: their grace period ended.")]
    private static partial void LogRevoked(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Revoking superseded certificates failed; trying again at the next check.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
