using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Imaging.Outputs.Common;
using IchFunctions.Imaging.Outputs.Seg;
using IchFunctions.Imaging.Outputs.Sr;
using IchFunctions.Imaging.Reports;
using IchFunctions.Imaging.Rendering;
using IchFunctions.Imaging.Sources;

namespace IchFunctions.Imaging.Scoring;

/// <summary>The files a scoring run wrote: full paths, null for outputs that were not written.</summary>
public sealed record ExamOutputFiles(string ReportPath, IReadOnlyList<string> KeyImages, string? SegmentationPath, string? ReportSrPath);

/// <summary>Settings of the written outputs.</summary>
public sealed record ExamOutputOptions
{
    /// <summary>BINARY (the mask at the pixel threshold) or FRACTIONAL (8-bit probabilities) SEG.</summary>
    public SegmentationType SegmentationType { get; init; } = SegmentationType.Binary;

    /// <summary>Key images of the slices with the most hemorrhage.</summary>
    public int KeyImageCount { get; init; } = 3;

    public static ExamOutputOptions Default { get; } = new();
}

/// <summary>
/// Writes the outputs of a scoring run into a folder: the DICOM SEG and SR, key images, and report.json naming
/// them. A scored exam always gets all of them; an unscored one only the report with its selection record.
/// </summary>
public static class ExamOutputWriter
{
    public const string ReportFileName = "report.json";
    public const string SegmentationFileName = "hemorrhage-seg.dcm";
    public const string ReportSrFileName = "hemorrhage-sr.dcm";

    private static readonly DicomReaderOptions HeaderOnly = new() { StopBeforePixelData = true };

    public static async Task<ExamOutputFiles> WriteAsync(
        ScoringResult result, IInstanceSource source, string directory, DateTimeOffset generatedUtc, ExamOutputOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(directory);
        options ??= ExamOutputOptions.Default;
        Directory.CreateDirectory(directory);

        var outputs = new Dictionary<string, string>();
        string? segPath = null;
        string? srPath = null;
        if (result.Aggregate is not null)
        {
            (DicomFile seg, DicomFile sr) = CreateDicomOutputs(result, source, generatedUtc, options);
            segPath = Path.Combine(directory, SegmentationFileName);
            srPath = Path.Combine(directory, ReportSrFileName);
            await WriteAtomicallyAsync(segPath, seg, cancellationToken).ConfigureAwait(false);
            await WriteAtomicallyAsync(srPath, sr, cancellationToken).ConfigureAwait(false);
            outputs["seg_file"] = SegmentationFileName;
            outputs["seg_sop_instance_uid"] = seg.Dataset.GetString(DicomTags.SopInstanceUid)!;
            outputs["sr_file"] = ReportSrFileName;
            outputs["sr_sop_instance_uid"] = sr.Dataset.GetString(DicomTags.SopInstanceUid)!;
        }

        IReadOnlyList<string> keyImages = KeyImages.Write(result, directory, options.KeyImageCount);
        for (int i = 0; i < keyImages.Count; i++)
        {
            outputs[$"key_image_{i + 1}"] = keyImages[i];
        }

        string json = ExamReportBuilder.ToJson(ExamReportBuilder.Build(result, generatedUtc, outputs));
        string path = Path.Combine(directory, ReportFileName);
        string temporary = path + ".partial";
        await File.WriteAllTextAsync(temporary, json, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
        return new ExamOutputFiles(path, keyImages.Select(name => Path.Combine(directory, name)).ToArray(), segPath, srPath);
    }

    /// <summary>Creates the SEG over the scored series and the SR that references its segment.</summary>
    public static (DicomFile Segmentation, DicomFile Report) CreateDicomOutputs(ScoringResult result, IInstanceSource source, DateTimeOffset createdAt, ExamOutputOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        if (result.Aggregate is null || result.Volume is null || result.Decision is null)
        {
            throw new InvalidOperationException("Only a scored exam has SEG and SR outputs.");
        }

        // The SEG copies patient and study modules from the source, so the headers are read again here.
        var headers = new List<DicomDataset>(result.Volume.SliceCount);
        foreach (var instance in result.Volume.Instances)
        {
            using Stream stream = source.Open(instance.Location);
            headers.Add(DicomReader.Read(stream, HeaderOnly).Dataset);
        }

        return CreateDicomOutputs(result, headers, createdAt, options);
    }

    /// <summary>
    /// Creates the SEG and SR from headers already read, one per slice in the volume's order (for example the
    /// DICOMweb metadata of the series).
    /// </summary>
    public static (DicomFile Segmentation, DicomFile Report) CreateDicomOutputs(
        ScoringResult result, IReadOnlyList<DicomDataset> headers, DateTimeOffset createdAt, ExamOutputOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(options);
        if (result.Aggregate is null || result.Volume is null || result.Decision is null)
        {
            throw new InvalidOperationException("Only a scored exam has SEG and SR outputs.");
        }

        SourceSeries series = SourceSeries.FromHeaders(headers);
        AlgorithmIdentification algorithm = AlgorithmIdentification.FromContract(result.Contract);
        DicomFile seg = options.SegmentationType == SegmentationType.Fractional
            ? SegmentationWriter.CreateFractional(series, result.PixelProbabilities, algorithm, createdAt)
            : SegmentationWriter.CreateBinary(series, result.Aggregate.Mask, algorithm, createdAt);
        DicomFile sr = MeasurementReportWriter.Create(
            new MeasurementReportInput(series, seg.Dataset, result.Aggregate.ExamProbability, result.Aggregate.TotalVolumeMl, result.Decision, algorithm),
            createdAt);
        return (seg, sr);
    }

    private static async Task WriteAtomicallyAsync(string path, DicomFile file, CancellationToken cancellationToken)
    {
        string temporary = path + ".partial";
        await DicomWriter.WriteFileAsync(temporary, file, cancellationToken: cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }
}
