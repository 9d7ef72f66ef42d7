using IchFunctions.Imaging.Selection;

namespace IchFunctions.Imaging.Scoring;

/// <summary>Settings of one scoring run.</summary>
public sealed record ScoringOptions
{
    public SelectionOptions Selection { get; init; } = SelectionOptions.Default;

    /// <summary>The contract operating point whose decision is reported as the exam's decision.</summary>
    public string OperatingPoint { get; init; } = "default";

    /// <summary>Slices per inference call.</summary>
    public int BatchSize { get; init; } = 4;

    public static ScoringOptions Default { get; } = new();
}

/// <summary>Stages of a scoring run, reported as progress.</summary>
public enum ScoringStage
{
    Scanning,
    Selecting,
    Loading,
    Inference,
    Aggregating,
}

/// <summary>Progress of a scoring run: the stage, and items done out of the stage's total.</summary>
public readonly record struct ScoringProgress(ScoringStage Stage, int Done, int Total);
