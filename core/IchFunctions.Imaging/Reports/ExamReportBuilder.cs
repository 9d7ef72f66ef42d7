using System.Text.Json;
using System.Text.Json.Serialization;
using IchFunctions.Imaging.Aggregation;
using IchFunctions.Imaging.Models;
using IchFunctions.Imaging.Scoring;

namespace IchFunctions.Imaging.Reports;

/// <summary>Builds and serialises the report.json document of a scoring run.</summary>
public static class ExamReportBuilder
{
    /// <summary>The line every output of a model marked not for clinical use carries.</summary>
    public const string NotForClinicalUseStatement =
        "NOT FOR CLINICAL USE. Research software, not a medical device; do not use for diagnosis or treatment decisions.";

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static ExamReport Build(ScoringResult result, DateTimeOffset generatedUtc, IReadOnlyDictionary<string, string>? outputs = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ModelContract contract = result.Contract;
        var warnings = new List<string>();
        if (result.Selection.Selected is { } selected)
        {
            warnings.AddRange(selected.Warnings);
        }

        ExamReport report = new()
        {
            GeneratedUtc = generatedUtc,
            NotForClinicalUse = contract.NotForClinicalUse,
            ClinicalUseStatement = contract.NotForClinicalUse ? NotForClinicalUseStatement : null,
            Model = new ReportModel(contract.ModelName, contract.ModelVersion, contract.ContractVersion, contract.IntendedUse, result.Runner),
            Status = result.Scored ? "scored" : "no_eligible_series",
            Selection = result.Selection.Series,
            SkippedFiles = result.SkippedFiles.GroupBy(s => s.Reason).Select(g => new ReportSkipped(g.Key, g.Count())).ToArray(),
            Warnings = warnings,
            TimingsMs = new Dictionary<string, long>
            {
                ["scan"] = result.Timings.ScanMs,
                ["select"] = result.Timings.SelectMs,
                ["load"] = result.Timings.LoadMs,
                ["inference"] = result.Timings.InferenceMs,
                ["aggregate"] = result.Timings.AggregateMs,
                ["total"] = result.Timings.TotalMs,
            },
            Outputs = outputs ?? new Dictionary<string, string>(),
        };

        return result.Aggregate is null ? report : AddExam(report, result, result.Aggregate, contract);
    }

    public static string ToJson(ExamReport report) => JsonSerializer.Serialize(report, SerializerOptions);

    private static ExamReport AddExam(ExamReport report, ScoringResult result, ExamAggregate aggregate, ModelContract contract)
    {
        var volume = result.Volume!;
        int plane = volume.Rows * volume.Columns;
        var slices = new ReportSlice[volume.SliceCount];
        for (int slice = 0; slice < slices.Length; slice++)
        {
            ReadOnlySpan<byte> sliceMask = aggregate.Mask.AsSpan(slice * plane, plane);
            int pixels = sliceMask.Length - sliceMask.Count((byte)0);

            slices[slice] = new ReportSlice(slice, volume.Instances[slice].SopInstanceUid, Math.Round(aggregate.SliceProbabilities[slice], 6), Math.Round(pixels * volume.Geometry.VoxelVolumeMl(slice), 4));
        }

        OperatingPointDecision decision = result.Decision!;
        return report with
        {
            StudyInstanceUid = volume.Instances[0].StudyInstanceUid,
            SeriesInstanceUid = volume.Instances[0].SeriesInstanceUid,
            FrameOfReferenceUid = volume.Instances[0].FrameOfReferenceUid,
            Exam = new ReportExam(
                Math.Round(aggregate.ExamProbability, 6),
                decision.Name,
                decision.Threshold,
                decision.Positive,
                Math.Round(aggregate.TotalVolumeMl, 4),
                aggregate.Decisions.Select(d =>
                {
                    ContractOperatingPoint point = contract.OperatingPoint(d.Name);
                    return new ReportDecision(d.Name, d.Threshold, d.Positive, point.Sensitivity, point.Specificity);
                }).ToArray()),
            Lesions = aggregate.Lesions.Select(l => new ReportLesion(
                l.Number, Math.Round(l.VolumeMl, 4), Math.Round(l.LargestInPlaneDiameterMm, 2), l.VoxelCount, l.FirstSlice, l.LastSlice,
                [Math.Round(l.Centroid.X, 2), Math.Round(l.Centroid.Y, 2), Math.Round(l.Centroid.Z, 2)], Math.Round(l.MeanProbability, 4))).ToArray(),
            Slices = slices,
        };
    }
}
