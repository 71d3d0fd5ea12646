using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CertTokenPortal.Tests.Infrastructure;

/// <summary>
/// Holds back the queries whose SQL contains <paramref name="marker"/> while the gate is closed, so that a test can
/// see what a page shows while it waits for the database (its loading state), then let the query go on.
/// </summary>
public sealed class DatabaseGate(string marker) : DbCommandInterceptor
{
    private volatile TaskCompletionSource _open = Opened();

    public void Close() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => _open.TrySetResult();

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (command.CommandText.Contains(marker, StringComparison.Ordinal))
        {
            await _open.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        return result;
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
