using IchFunctions.Imaging.Selection;

namespace IchFunctions.Functions.Orchestration.Models;

/// <summary>
/// A permanent failure that an activity returns instead of throwing, so the orchestration ends at once
/// without retrying. Exceptions an activity throws are treated as transient and retried.
/// </summary>
public sealed record ActivityFailure(string ReasonCode, string Message);

/// <summary>Input of the series-selection activity.</summary>
public sealed record SelectSeriesInput(string InstanceId, ScoreStudyRequest Request);

/// <summary>
/// What selection decided, small enough for the orchestration history: the selected series' instances and
/// headers are in work blobs.
/// </summary>
public sealed record SelectSeriesResult
{
    public ActivityFailure? Failure { get; init; }

    /// <summary>One record per series with the reason it was selected or rejected.</summary>
    public IReadOnlyList<SeriesRecord> Series { get; init; } = [];

    public string? SeriesInstanceUid { get; init; }

    public int SliceCount { get; init; }

    public int Rows { get; init; }

    public int Columns { get; init; }

    /// <summary>Slices per preprocessing and inference chunk (the app's Scoring__ChunkSlices when selection ran).</summary>
    public int ChunkSlices { get; init; }

    /// <summary>The operating point that decides the exam: the request's, or the app's configured one.</summary>
    public string? OperatingPoint { get; init; }

    public string? ModelName { get; init; }

    public string? ModelVersion { get; init; }
}

/// <summary>One chunk of consecutive slices of the selected series, in anatomical order.</summary>
public sealed record ChunkInput(string InstanceId, ScoreStudyRequest Request, ChunkPlan Plan, int Index);

/// <summary>How the selected series is cut into chunks: every chunk has <see cref="ChunkSlices"/> slices but the last.</summary>
public sealed record ChunkPlan(int SliceCount, int Rows, int Columns, int ChunkSlices)
{
    public int ChunkCount => (SliceCount + ChunkSlices - 1) / ChunkSlices;

    public int FirstSlice(int chunk) => chunk * ChunkSlices;

    public int SlicesIn(int chunk) => Math.Min(ChunkSlices, SliceCount - FirstSlice(chunk));
}

/// <summary>Result of fetching and decoding one chunk into an int16 HU work blob.</summary>
public sealed record PreprocessChunkResult
{
    public ActivityFailure? Failure { get; init; }

    public long ElapsedMs { get; init; }
}

/// <summary>Result of scoring one chunk: slice probabilities here, pixel probabilities in a work blob.</summary>
public sealed record InferChunkResult
{
    public ActivityFailure? Failure { get; init; }

    public IReadOnlyList<float> SliceProbabilities { get; init; } = [];

    /// <summary>Time spent in the model runner, excluding blob transfers.</summary>
    public long InferenceMs { get; init; }

    public long ElapsedMs { get; init; }

    /// <summary>Version of the model that scored the chunk.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>Pixel threshold below which the chunk's pixels were left out of its masked-pixel blob.</summary>
    public double PixelThreshold { get; init; }
}

/// <summary>
/// Input of the fan-in: the slice probabilities of every chunk in order, when the run started, and the model
/// version and pixel threshold every chunk was scored with.
/// </summary>
public sealed record AggregateExamInput(
    string InstanceId, ScoreStudyRequest Request, ChunkPlan Plan, IReadOnlyList<float> SliceProbabilities, string OperatingPoint,
    DateTimeOffset GeneratedUtc, long PreprocessMs, long InferenceMs, string ModelVersion, double PixelThreshold);

/// <summary>The exam result, with its SEG, SR, report and key images prepared in work blobs.</summary>
public sealed record AggregateExamResult
{
    public ActivityFailure? Failure { get; init; }

    public double ExamProbability { get; init; }

    public bool Positive { get; init; }

    public double HemorrhageVolumeMl { get; init; }

    public int LesionCount { get; init; }

    public string? SegmentationSopInstanceUid { get; init; }

    public string? ReportSrSopInstanceUid { get; init; }

    /// <summary>File names of the key images under the work outputs prefix.</summary>
    public IReadOnlyList<string> KeyImages { get; init; } = [];
}

/// <summary>Input of the activity that stores the prepared outputs where users find them.</summary>
public sealed record StoreOutputsInput(string InstanceId, ScoreStudyRequest Request, string ModelName, string ModelVersion, AggregateExamResult Exam);

/// <summary>Where the outputs went.</summary>
public sealed record StoreOutputsResult
{
    public ActivityFailure? Failure { get; init; }

    /// <summary>Name of report.json in the results container.</summary>
    public string? ReportBlob { get; init; }

    /// <summary>True when the DICOM service already held the SEG and SR (a rerun).</summary>
    public bool AlreadyStored { get; init; }
}

/// <summary>Input of the alert activity: the small summary a consumer of the alert needs.</summary>
public sealed record PublishAlertInput(string InstanceId, ScoreStudyOutcome Outcome, string? DataPartition, string StudyInstanceUid);
