using System.Collections.Concurrent;

namespace IchFunctions.Functions.Tests.Orchestration;

/// <summary>The start and end of every activity call on a test host, for benchmarks that break a run down by activity.</summary>
public sealed class ActivitySpans
{
    private readonly ConcurrentQueue<(string Activity, DateTime Start, DateTime End)> _spans = new();

    public void Add(string activity, DateTime start, DateTime end) => _spans.Enqueue((activity, start, end));

    public IReadOnlyList<(string Activity, DateTime Start, DateTime End)> Snapshot() => [.. _spans.OrderBy(span => span.Start)];

    public void Clear() => _spans.Clear();
}
