using Microsoft.Extensions.DependencyInjection;

namespace CertTokenPortal.Core.Startup;

/// <summary>
/// Work that must be done before the portal serves requests (migrate, seed roles, create the first admin and CA).
/// Tasks run in ascending <see cref="Order"/>, each in its own DI scope. Every task must be idempotent and safe when
/// several portal instances start at once.
/// </summary>
public interface IStartupTask
{
    int Order { get; }

    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>Runs the registered <see cref="IStartupTask"/>s in order.</summary>
public static class StartupTaskRunner
{
    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var kinds = services.GetServices<StartupTaskRegistration>().OrderBy(r => r.Order).ToList();
        foreach (var kind in kinds)
        {
            using var scope = services.CreateScope();
            var task = (IStartupTask)scope.ServiceProvider.GetRequiredService(kind.TaskType);
            await task.RunAsync(cancellationToken);
        }
    }
}

/// <summary>Marks a task type for <see cref="StartupTaskRunner"/>; its order is read once when it is registered.</summary>
public sealed record StartupTaskRegistration(Type TaskType, int Order);
