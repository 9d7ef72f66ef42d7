using IchFunctions.Imaging.Aggregation;
using IchFunctions.Imaging.Models;
using IchFunctions.Imaging.Selection;
using IchFunctions.Imaging.Sources;
using IchFunctions.Imaging.Volumes;

namespace IchFunctions.Imaging.Scoring;

/// <summary>Wall time of each stage, in milliseconds.</summary>
public sealed record StageTimings(long ScanMs, long SelectMs, long LoadMs, long InferenceMs, long AggregateMs)
{
    public long TotalMs => ScanMs + SelectMs + LoadMs + InferenceMs + AggregateMs;
}

/// <summary>
/// Everything a scoring run produced: the selection record, and for an eligible exam the volume, the model
/// outputs and their aggregate. <see cref="Aggregate"/> is null when no series was eligible.
/// </summary>
public sealed record ScoringResult
{
    public required ModelContract Contract { get; init; }

    /// <summary>Where the model ran, for example "ONNX Runtime CPU, 2 concurrent batches x 1 intra-op thread".</summary>
    public required string Runner { get; init; }

    public required SelectionResult Selection { get; init; }

    public required IReadOnlyList<SkippedFile> SkippedFiles { get; init; }

    public HuVolume? Volume { get; init; }

    public ExamAggregate? Aggregate { get; init; }

    /// <summary>Per-pixel probabilities [slice, row, column], kept for FRACTIONAL SEG output; null when no exam was scored.</summary>
    public float[]? PixelProbabilities { get; init; }

    /// <summary>The operating point whose decision is the exam's decision.</summary>
    public required OperatingPointDecision? Decision { get; init; }

    public required StageTimings Timings { get; init; }

    public bool Scored => Aggregate is not null;
}
