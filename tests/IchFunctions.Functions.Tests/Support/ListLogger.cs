using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Tests.Support;

/// <summary>A logger that keeps every formatted message, so tests can assert what was logged.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, EventId EventId, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Entries.Enqueue((logLevel, eventId, formatter(state, exception)));
    }
}
