using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CertTokenPortal.Tests.Browser;

/// <summary>
/// Keeps the browser portal's warnings and errors (the newest few hundred), so that a browser test that fails on CI
/// can say what the server went through at the time instead of only what the page did not show.
/// </summary>
public sealed class ServerProblemLog : ILoggerProvider
{
    private const int Kept = 200;
    private readonly ConcurrentQueue<(DateTimeOffset At, string Text)> _lines = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>The lines logged since <paramref name="since"/>, oldest first.</summary>
    public IReadOnlyList<string> Since(DateTimeOffset since) =>
        _lines.Where(line => line.At >= since).Select(line => $"{line.At:HH:mm:ss.fff} {line.Text}").ToList();

    public void Dispose()
    {
    }

    private void Add(string text)
    {
        _lines.Enqueue((DateTimeOffset.UtcNow, text));
        while (_lines.Count > Kept && _lines.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(ServerProblemLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Add($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
