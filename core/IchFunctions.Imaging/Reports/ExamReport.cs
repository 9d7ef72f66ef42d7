using System.Text.Json.Serialization;
using IchFunctions.Imaging.Selection;

namespace IchFunctions.Imaging.Reports;

/// <summary>
/// The report.json document (schema <see cref="SchemaVersion"/>, documented in docs/report-schema.md). It names
/// series by UID and never contains patient names, IDs, birth dates or file paths.
/// </summary>
public sealed record ExamReport
{
    public const string SchemaVersion = "ich-report/1.0";

    [JsonPropertyName("schema")]
    public string Schema { get; init; } = SchemaVersion;

    [JsonPropertyName("generated_utc")]
    public required DateTimeOffset GeneratedUtc { get; init; }

    [JsonPropertyName("not_for_clinical_use")]
    public required bool NotForClinicalUse { get; init; }

    /// <summary>The statement printed with every result of a model not for clinical use; null otherwise.</summary>
    [JsonPropertyName("clinical_use_statement")]
    public string? ClinicalUseStatement { get; init; }

    [JsonPropertyName("model")]
    public required ReportModel Model { get; init; }

    /// <summary>"scored", or "no_eligible_series" when selection found nothing to score.</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    [JsonPropertyName("study_instance_uid")]
    public string? StudyInstanceUid { get; init; }

    [JsonPropertyName("series_instance_uid")]
    public string? SeriesInstanceUid { get; init; }

    [JsonPropertyName("frame_of_reference_uid")]
    public string? FrameOfReferenceUid { get; init; }

    [JsonPropertyName("exam")]
    public ReportExam? Exam { get; init; }

    [JsonPropertyName("lesions")]
    public IReadOnlyList<ReportLesion> Lesions { get; init; } = [];

    [JsonPropertyName("slices")]
    public IReadOnlyList<ReportSlice> Slices { get; init; } = [];

    [JsonPropertyName("selection")]
    public required IReadOnlyList<SeriesRecord> Selection { get; init; }

    /// <summary>Files that were not readable DICOM instances, counted by reason (file names are left out: they can name patients).</summary>
    [JsonPropertyName("skipped_files")]
    public IReadOnlyList<ReportSkipped> SkippedFiles { get; init; } = [];

    [JsonPropertyName("warnings")]
    public IReadOnlyList<string> Warnings { get; init; } = [];

    [JsonPropertyName("timings_ms")]
    public required IReadOnlyDictionary<string, long> TimingsMs { get; init; }

    [JsonPropertyName("outputs")]
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();
}

public sealed record ReportModel(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("contract_version")] string ContractVersion,
    [property: JsonPropertyName("intended_use")] string IntendedUse,
    [property: JsonPropertyName("runner")] string Runner);

public sealed record ReportExam(
    [property: JsonPropertyName("probability")] double Probability,
    [property: JsonPropertyName("operating_point")] string OperatingPoint,
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("positive")] bool Positive,
    [property: JsonPropertyName("hemorrhage_volume_ml")] double HemorrhageVolumeMl,
    [property: JsonPropertyName("decisions")] IReadOnlyList<ReportDecision> Decisions);

public sealed record ReportDecision(
    [property: JsonPropertyName("operating_point")] string OperatingPoint,
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("positive")] bool Positive,
    [property: JsonPropertyName("sensitivity")] double? Sensitivity,
    [property: JsonPropertyName("specificity")] double? Specificity);

public sealed record ReportLesion(
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("volume_ml")] double VolumeMl,
    [property: JsonPropertyName("largest_in_plane_diameter_mm")] double LargestInPlaneDiameterMm,
    [property: JsonPropertyName("voxels")] int Voxels,
    [property: JsonPropertyName("first_slice")] int FirstSlice,
    [property: JsonPropertyName("last_slice")] int LastSlice,
    [property: JsonPropertyName("centroid_lps_mm")] IReadOnlyList<double> CentroidLpsMm,
    [property: JsonPropertyName("mean_probability")] double MeanProbability);

public sealed record ReportSlice(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("sop_instance_uid")] string SopInstanceUid,
    [property: JsonPropertyName("probability")] double Probability,
    [property: JsonPropertyName("hemorrhage_ml")] double HemorrhageMl);

public sealed record ReportSkipped(
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("count")] int Count);
