using CertTokenPortal.Core.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CertTokenPortal.Health;

/// <summary>
/// <c>/healthz</c>: the process answers (for a supervisor's liveness probe). <c>/readyz</c>: this instance can serve —
/// the database answers, every migration is applied and the key ring can be read — (for a load balancer). Both are
/// anonymous and name only checks and their state: no connection strings, messages or exceptions leave the process.
/// </summary>
public static class PortalHealth
{
    private const string Ready = "ready";

    /// <summary>The body of both endpoints.</summary>
    public sealed record HealthAnswer(string Status, IReadOnlyDictionary<string, string> Checks);

    public static IServiceCollection AddPortalHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseReadyCheck>("database", tags: [Ready])
            .AddCheck<KeyRingReadyCheck>("keyring", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapPortalHealth(this IEndpointRouteBuilder endpoints)
    {
        var health = endpoints.MapGroup("").AllowAnonymous().DisableAntiforgery().WithTags("Health");
        health.MapGet("/healthz", () => Results.Ok(new HealthAnswer("Healthy", new Dictionary<string, string>())))
            .WithSummary("Liveness: the portal process is up.")
            .Produces<HealthAnswer>();
        health.MapGet("/readyz", async (HealthCheckService checks, CancellationToken ct) =>
            {
                var report = await checks.CheckHealthAsync(c => c.Tags.Contains(Ready), ct);
                var answer = new HealthAnswer(report.Status.ToString(), report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()));
                return report.Status == HealthStatus.Healthy
                    ? Results.Ok(answer)
                    : Results.Json(answer, statusCode: StatusCodes.Status503ServiceUnavailable);
            })
            .WithSummary("Readiness: the database answers, all migrations are applied and the key ring is readable; 503 otherwise.")
            .Produces<HealthAnswer>()
            .Produces<HealthAnswer>(StatusCodes.Status503ServiceUnavailable);
        return endpoints;
    }

    private sealed class DatabaseReadyCheck(IDbContextFactory<PortalDbContext> dbFactory) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                if (!await db.Database.CanConnectAsync(cancellationToken))
                {
                    return HealthCheckResult.Unhealthy("The database does not answer.");
                }
                return (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any()
                    ? HealthCheckResult.Unhealthy("Migrations are pending.")
                    : HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy("The database does not answer.", e);
            }
        }
    }

    private sealed class KeyRingReadyCheck(IKeyManager keys, IDataProtectionProvider protection) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                // GetAllKeys reads the repository (the database) each time; the round trip proves a usable default key.
                if (keys.GetAllKeys().Count == 0)
                {
                    return Task.FromResult(HealthCheckResult.Unhealthy("The key ring holds no key."));
                }
                var protector = protection.CreateProtector("CertTokenPortal.Health");
                var probe = protector.Unprotect(protector.Protect("ready"));
                return Task.FromResult(probe == "ready" ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The key ring does not round-trip."));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("The key ring cannot be read.", e));
            }
        }
    }
}
