using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Tests.Support;

/// <summary>A logger provider that keeps every formatted message with its category and event ID, so tests can assert what was logged.</summary>
public sealed class LogLines : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, EventId EventId, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogLines owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            owner.Entries.Enqueue((category, logLevel, eventId, formatter(state, exception)));
        }
    }
}
