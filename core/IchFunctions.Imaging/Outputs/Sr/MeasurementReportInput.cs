using IchFunctions.Dicom;
using IchFunctions.Imaging.Aggregation;
using IchFunctions.Imaging.Outputs.Common;

namespace IchFunctions.Imaging.Outputs.Sr;

/// <summary>What the hemorrhage measurement report states about one scored series.</summary>
/// <param name="Source">The scored series.</param>
/// <param name="Segmentation">The SEG written for the series; the report references its segment 1.</param>
/// <param name="ExamProbability">Exam-level hemorrhage probability, 0 to 1.</param>
/// <param name="HemorrhageVolumeMl">Total hemorrhage volume in mL.</param>
/// <param name="Decision">The operating point used and its decision.</param>
/// <param name="Algorithm">The model that produced the results.</param>
public sealed record MeasurementReportInput(
    SourceSeries Source,
    DicomDataset Segmentation,
    double ExamProbability,
    double HemorrhageVolumeMl,
    OperatingPointDecision Decision,
    AlgorithmIdentification Algorithm)
{
    /// <summary>Throws naming the offending value when the report cannot state it.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Source);
        ArgumentNullException.ThrowIfNull(Segmentation);
        ArgumentNullException.ThrowIfNull(Decision);
        ArgumentNullException.ThrowIfNull(Algorithm);
        Algorithm.Validate();
        if (!(ExamProbability >= 0 && ExamProbability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ExamProbability), ExamProbability, "The exam probability must be between 0 and 1.");
        }

        if (!(HemorrhageVolumeMl >= 0) || double.IsInfinity(HemorrhageVolumeMl))
        {
            throw new ArgumentOutOfRangeException(nameof(HemorrhageVolumeMl), HemorrhageVolumeMl, "The hemorrhage volume must be a finite number of mL, at least 0.");
        }

        if (Segmentation.GetString(OutputTags.StudyInstanceUid) != Source.StudyInstanceUid)
        {
            throw new ArgumentException(
                $"The segmentation belongs to study {Segmentation.GetString(OutputTags.StudyInstanceUid)}, not to the source study {Source.StudyInstanceUid}.", nameof(Segmentation));
        }
    }
}
