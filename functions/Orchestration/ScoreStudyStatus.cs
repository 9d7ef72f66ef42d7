namespace IchFunctions.Functions.Orchestration;

/// <summary>Stages of a ScoreStudy run, shown in its custom status.</summary>
public enum ScoreStudyStage
{
    WaitingForInstances,
    Selecting,
    Preprocessing,
    Inference,
    Aggregating,
    WritingOutputs,
    Alerting,
    Completed,
    Failed,
}

/// <summary>Custom status of a running instance: stage and progress in slices or steps.</summary>
public sealed record ScoreStudyProgress(ScoreStudyStage Stage, int Done, int Total);

/// <summary>How a run ended.</summary>
public enum ScoreStudyOutcomeKind
{
    /// <summary>Scored; outputs written.</summary>
    Scored,

    /// <summary>The study has no series the model may score; the selection reasons give why. Nothing is written.</summary>
    NoEligibleSeries,

    /// <summary>A permanent failure; <see cref="ScoreStudyOutcome.ReasonCode"/> names it. Nothing is written.</summary>
    Failed,
}

/// <summary>Output of a ScoreStudy run: a small summary; the full report is the report.json blob.</summary>
public sealed record ScoreStudyOutcome
{
    public required ScoreStudyOutcomeKind Kind { get; init; }

    /// <summary>Stable machine-readable reason for <see cref="ScoreStudyOutcomeKind.Failed"/> and NoEligibleSeries (for example <c>dicom-service-unreachable</c>).</summary>
    public string? ReasonCode { get; init; }

    /// <summary>Readable explanation without patient data.</summary>
    public string? Message { get; init; }

    public string? SeriesInstanceUid { get; init; }
    public string? ModelName { get; init; }
    public string? ModelVersion { get; init; }
    public double? ExamProbability { get; init; }
    public string? OperatingPoint { get; init; }
    public bool? Positive { get; init; }
    public double? HemorrhageVolumeMl { get; init; }
    public string? SegmentationSopInstanceUid { get; init; }
    public string? ReportSrSopInstanceUid { get; init; }

    /// <summary>Blob URL or name of report.json in the results container.</summary>
    public string? ReportBlob { get; init; }
}
