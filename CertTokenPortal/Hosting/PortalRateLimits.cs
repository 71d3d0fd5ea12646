using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using CertTokenPortal.Api;
using CertTokenPortal.Core.Common;
using CertTokenPortal.Core.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CertTokenPortal.Hosting;

/// <summary>The <c>Portal:RateLimits</c> section: how many logins per client address and enrolments per user in a window.</summary>
public sealed class RateLimitSettings
{
    public const string Section = "Portal:RateLimits";

    /// <summary>Off only for load tests and test suites that log in hundreds of times.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Login attempts (<c>/auth</c> and the browser login together) per client address and window.</summary>
    [Range(1, 100_000)]
    public int LoginPermits { get; set; } = 60;

    [Range(1, 3600)]
    public int LoginWindowSeconds { get; set; } = 60;

    /// <summary>Enrolments (<c>/token/init</c> and the wizard's submit together) per logged-in user and window.</summary>
    [Range(1, 100_000)]
    public int EnrolmentPermits { get; set; } = 30;

    [Range(1, 3600)]
    public int EnrolmentWindowSeconds { get; set; } = 60;
}

/// <summary>
/// The portal's rate limits, built on ASP.NET Core's rate limiter. Logins are limited per client address by the
/// middleware (the address is known before anything is read); enrolments are limited per user, which is known only
/// after the API's login filter or inside the browser circuit, so both doors ask the one <see cref="EnrolmentRateLimiter"/>.
/// Refusals answer 429 in the API envelope with <c>Retry-After</c>.
/// </summary>
public static class PortalRateLimits
{
    public const string LoginPolicy = "login";

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitSettings>().BindConfiguration(RateLimitSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EnrolmentRateLimiter>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(LoginPolicy, http =>
            {
                var settings = http.RequestServices.GetRequiredService<IOptions<RateLimitSettings>>().Value;
                if (!settings.Enabled)
                {
                    return RateLimitPartition.GetNoLimiter("off");
                }
                return RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.LoginPermits,
                    Window = TimeSpan.FromSeconds(settings.LoginWindowSeconds),
                    QueueLimit = 0,
                });
            });
            o.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var http = context.HttpContext;
                if (http.Request.Path.StartsWithSegments("/account/login"))
                {
                    // The browser login is a form post: back to the login page with a message a person understands.
                    http.Response.StatusCode = StatusCodes.Status303SeeOther;
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    http.Response.Headers.Location = "/login?error=" + Authentication.LoginRedirects.Throttled;
                    return ValueTask.CompletedTask;
                }
                return new ValueTask(ApiResults.WriteRateLimitedAsync(http,
                    $"Too many login attempts from your address; try again in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} s.", retryAfter));
            };
        });
        return services;
    }

    /// <summary>Limits enrolments through the API per user: after the login filter, before the parameters are read.</summary>
    public static TBuilder RequireEnrolmentRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var limiter = context.HttpContext.RequestServices.GetRequiredService<EnrolmentRateLimiter>();
            var refusal = limiter.TryAcquire(context.HttpContext.Actor());
            return refusal is { } r ? ApiResults.RateLimited(r.Error.Message, r.RetryAfter) : await next(context);
        });
}

/// <summary>A refused enrolment: what to say, and when to try again.</summary>
public sealed record RateLimitRefusal(PortalError Error, TimeSpan RetryAfter);

/// <summary>Enrolments per user, shared by the API and the browser's enrolment wizard.</summary>
public sealed class EnrolmentRateLimiter(IOptions<RateLimitSettings> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(user =>
        RateLimitPartition.GetFixedWindowLimiter(user, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.EnrolmentPermits,
            Window = TimeSpan.FromSeconds(options.Value.EnrolmentWindowSeconds),
            QueueLimit = 0,
        }));

    /// <summary>Takes one enrolment from <paramref name="actor"/>'s allowance; the refusal when it is used up.</summary>
    public RateLimitRefusal? TryAcquire(Actor actor)
    {
        if (!options.Value.Enabled)
        {
            return null;
        }
        using var lease = _limiter.AttemptAcquire($"{actor.Realm}\\{actor.UserName}".ToUpperInvariant());
        if (lease.IsAcquired)
        {
            return null;
        }
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(options.Value.EnrolmentWindowSeconds);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        return new RateLimitRefusal(PortalError.RateLimited(
            $"You have made {options.Value.EnrolmentPermits} enrolments in {options.Value.EnrolmentWindowSeconds} s, the most allowed; try again in {seconds} s."), wait);
    }

    public void Dispose() => _limiter.Dispose();
}
