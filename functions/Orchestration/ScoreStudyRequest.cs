namespace IchFunctions.Functions.Orchestration;

/// <summary>
/// Input of one ScoreStudy orchestration: identifiers and settings only, never pixel data, because it is
/// stored in the orchestration history.
/// </summary>
public sealed record ScoreStudyRequest
{
    /// <summary>Study Instance UID of the exam to score.</summary>
    public required string StudyInstanceUid { get; init; }

    /// <summary>Series to score, or null to select one by the series-selection rules.</summary>
    public string? SeriesInstanceUid { get; init; }

    /// <summary>DICOM service data partition, or null when partitions are not used.</summary>
    public string? DataPartition { get; init; }

    /// <summary>Named operating point of the model contract, or null for the app's configured one.</summary>
    public string? OperatingPoint { get; init; }

    /// <summary>
    /// Seconds to wait with no <see cref="ScoreStudyNames.InstanceArrivedEvent"/> before selecting the series;
    /// 0 starts at once. Event and upload triggers set it because instances of a study arrive one by one.
    /// </summary>
    public int QuietPeriodSeconds { get; init; }

    /// <summary>Where the instances are: null for the DICOM service, or blobs in the app's storage account.</summary>
    public BlobExamReference? Blob { get; init; }

    /// <summary>Why this run was started (event, upload, http, sweep), for logs and the report.</summary>
    public string Trigger { get; init; } = "http";
}

/// <summary>
/// An exam held in blob storage: either one zip blob (<see cref="BlobName"/>) or every blob under
/// <see cref="Prefix"/>, each one DICOM instance.
/// </summary>
public sealed record BlobExamReference
{
    /// <summary>Container with the exam.</summary>
    public required string Container { get; init; }

    /// <summary>Name of a zip blob holding the whole exam, or null when <see cref="Prefix"/> is set.</summary>
    public string? BlobName { get; init; }

    /// <summary>Prefix under which each blob is one DICOM instance, or null when <see cref="BlobName"/> is set.</summary>
    public string? Prefix { get; init; }
}
