namespace IchFunctions.Functions.Orchestration;

/// <summary>Stable machine-readable reasons in <see cref="ScoreStudyOutcome.ReasonCode"/>; docs/orchestration.md lists them.</summary>
public static class ReasonCodes
{
    /// <summary>No series of the study is axial head CT the model may score; the message gives each series' reason.</summary>
    public const string NoEligibleSeries = "no-eligible-series";

    /// <summary>The DICOM service or blob source has no instances for the study.</summary>
    public const string StudyNotFound = "study-not-found";

    /// <summary>The DICOM service kept failing or could not be reached after every retry.</summary>
    public const string DicomServiceUnavailable = "dicom-service-unavailable";

    /// <summary>The DICOM service rejected a request with a client error (4xx other than 404 and 429).</summary>
    public const string DicomServiceRejected = "dicom-service-rejected";

    /// <summary>An instance of the selected series cannot be decoded (corrupt, truncated or unsupported).</summary>
    public const string InstanceUnreadable = "instance-unreadable";

    /// <summary>The blob source (zip or prefix) cannot be read.</summary>
    public const string SourceUnreadable = "source-unreadable";

    /// <summary>The remote inference server kept failing or could not be reached after every retry.</summary>
    public const string InferenceUnavailable = "inference-unavailable";

    /// <summary>The model cannot be loaded or rejects the input, or the operating point is not in its contract.</summary>
    public const string ModelError = "model-error";

    /// <summary>The app's storage account (work or results container, alerts queue) kept failing after every retry.</summary>
    public const string StorageUnavailable = "storage-unavailable";

    /// <summary>Writing the SEG, SR, report or key images failed after every retry.</summary>
    public const string OutputWriteFailed = "output-write-failed";

    /// <summary>The outputs were stored but the alert could not be published after every retry.</summary>
    public const string AlertFailed = "alert-failed";

    /// <summary>An unexpected error; the message has the exception type and text.</summary>
    public const string InternalError = "internal-error";
}
