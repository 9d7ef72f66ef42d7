using System.Diagnostics;
using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Json;
using IchFunctions.Functions.Orchestration.Models;
using IchFunctions.Functions.Orchestration.Work;
using IchFunctions.Functions.Scoring;
using IchFunctions.Functions.Storage;
using IchFunctions.Imaging.Aggregation;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Reports;
using IchFunctions.Imaging.Rendering;
using IchFunctions.Imaging.Scoring;
using IchFunctions.Imaging.Selection;
using IchFunctions.Imaging.Volumes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Orchestration.Activities;

/// <summary>
/// The fan-in: reads every chunk's voxels and probabilities, aggregates them into the exam result, and
/// prepares the SEG, SR, key images and report.json in work blobs. Nothing leaves the work container here,
/// so a failure before the outputs are stored leaves no partial result anywhere.
/// </summary>
public sealed class AggregateExamActivity(ScoringStorage storage, ModelRunnerProvider models, ILogger<AggregateExamActivity> logger)
{
    public const string SegmentationName = ExamOutputWriter.SegmentationFileName;
    public const string ReportSrName = ExamOutputWriter.ReportSrFileName;
    public const string ReportName = ExamOutputWriter.ReportFileName;

    [Function(ScoreStudyActivityNames.AggregateExam)]
    public Task<AggregateExamResult> RunAsync([ActivityTrigger] AggregateExamInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return PermanentFailures.RunAsync(
            () => AggregateAsync(input, cancellationToken), failure => new AggregateExamResult { Failure = failure },
            models.IsRemote, logger, input.InstanceId, ScoreStudyActivityNames.AggregateExam);
    }

    private async Task<AggregateExamResult> AggregateAsync(AggregateExamInput input, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        IModelRunner runner = await models.GetAsync(cancellationToken).ConfigureAwait(false);
        var work = new WorkBlobs(storage.Work, input.InstanceId);
        ChunkPlan plan = input.Plan;

        InstanceHeader[] instances = await ReadJsonAsync<InstanceHeader[]>(work.SelectedInstances, cancellationToken).ConfigureAwait(false);
        SeriesRecord[] records = await ReadJsonAsync<SeriesRecord[]>(work.SeriesRecords, cancellationToken).ConfigureAwait(false);
        string headerJson = (await work.SelectedHeaders.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToString();
        IReadOnlyList<DicomDataset> headers = DicomJsonReader.ParseArray(headerJson);

        // Selection over the selected series alone rebuilds its geometry in the same anatomical order.
        SelectionResult rebuilt = SeriesSelector.Select(instances);
        if (rebuilt.SelectedGeometry is null || rebuilt.SelectedInstances is null
            || !rebuilt.SelectedInstances.Select(i => i.SopInstanceUid).SequenceEqual(instances.Select(i => i.SopInstanceUid)))
        {
            throw new InvalidOperationException($"The selected series of instance {input.InstanceId} no longer forms the same slice stack.");
        }

        int plane = plan.Rows * plan.Columns;
        var voxels = new short[plan.SliceCount * plane];
        var pixels = new float[plan.SliceCount * plane];
        for (int chunk = 0; chunk < plan.ChunkCount; chunk++)
        {
            int offset = plan.FirstSlice(chunk) * plane;
            int length = plan.SlicesIn(chunk) * plane;
            await WorkBlobs.DownloadAsync(work.HuChunk(chunk), 0, voxels.AsMemory(offset, length), cancellationToken).ConfigureAwait(false);
            await WorkBlobs.DownloadAsync(work.ProbabilityChunk(chunk), 0, pixels.AsMemory(offset, length), cancellationToken).ConfigureAwait(false);
        }

        ScoringResult result = Aggregate(input, runner, records, rebuilt, voxels, pixels, clock);
        (DicomFile seg, DicomFile sr) = ExamOutputWriter.CreateDicomOutputs(result, headers, input.GeneratedUtc, ExamOutputOptions.Default);
        await UploadDicomAsync(work.Output(SegmentationName), seg, cancellationToken).ConfigureAwait(false);
        await UploadDicomAsync(work.Output(ReportSrName), sr, cancellationToken).ConfigureAwait(false);
        string segUid = seg.Dataset.GetString(DicomTags.SopInstanceUid)!;
        string srUid = sr.Dataset.GetString(DicomTags.SopInstanceUid)!;

        var outputs = new Dictionary<string, string>
        {
            ["seg_file"] = SegmentationName,
            ["seg_sop_instance_uid"] = segUid,
            ["sr_file"] = ReportSrName,
            ["sr_sop_instance_uid"] = srUid,
        };
        IReadOnlyList<string> keyImages = await UploadKeyImagesAsync(work, result, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < keyImages.Count; i++)
        {
            outputs[$"key_image_{i + 1}"] = keyImages[i];
        }

        string report = ExamReportBuilder.ToJson(ExamReportBuilder.Build(result, input.GeneratedUtc, outputs));
        await work.Output(ReportName).UploadAsync(BinaryData.FromString(report), overwrite: true, cancellationToken).ConfigureAwait(false);

        ExamAggregate aggregate = result.Aggregate!;
        return new AggregateExamResult
        {
            ExamProbability = aggregate.ExamProbability,
            Positive = result.Decision!.Positive,
            HemorrhageVolumeMl = aggregate.TotalVolumeMl,
            LesionCount = aggregate.Lesions.Count,
            SegmentationSopInstanceUid = segUid,
            ReportSrSopInstanceUid = srUid,
            KeyImages = keyImages,
        };
    }

    private static ScoringResult Aggregate(
        AggregateExamInput input, IModelRunner runner, SeriesRecord[] records, SelectionResult rebuilt, short[] voxels, float[] pixels, Stopwatch clock)
    {
        if (input.SliceProbabilities.Count != input.Plan.SliceCount)
        {
            throw new InvalidOperationException($"{input.SliceProbabilities.Count} slice probabilities were passed for {input.Plan.SliceCount} slices.");
        }

        var contract = runner.Contract;
        OperatingPoint[] points = contract.OperatingPoints.Select(p => new OperatingPoint(p.Name, p.Threshold)).ToArray();
        ExamAggregate aggregate = ExamAggregator.Aggregate(
            rebuilt.SelectedGeometry!, input.SliceProbabilities.ToArray(), pixels, contract.PixelThreshold, points);
        return new ScoringResult
        {
            Contract = contract,
            Runner = runner.Description,
            Selection = new SelectionResult { Series = records, SelectedGeometry = rebuilt.SelectedGeometry, SelectedInstances = rebuilt.SelectedInstances },
            SkippedFiles = [],
            Volume = new HuVolume(rebuilt.SelectedGeometry!, rebuilt.SelectedInstances!, voxels),
            Aggregate = aggregate,
            PixelProbabilities = pixels,
            Decision = aggregate.Decisions.Single(d => d.Name == input.OperatingPoint),
            Timings = new StageTimings(0, 0, input.PreprocessMs, input.InferenceMs, clock.ElapsedMilliseconds),
        };
    }

    private static async Task UploadDicomAsync(Azure.Storage.Blobs.BlobClient blob, DicomFile file, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await DicomWriter.WriteAsync(buffer, file, cancellationToken: cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        await blob.UploadAsync(buffer, overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renders the key images into a temporary folder (the renderer writes files) and uploads them.</summary>
    private static async Task<IReadOnlyList<string>> UploadKeyImagesAsync(WorkBlobs work, ScoringResult result, CancellationToken cancellationToken)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"ich-key-images-{Guid.NewGuid():N}");
        try
        {
            IReadOnlyList<string> names = KeyImages.Write(result, folder, ExamOutputOptions.Default.KeyImageCount);
            foreach (string name in names)
            {
                await work.Output(name).UploadAsync(Path.Combine(folder, name), overwrite: true, cancellationToken).ConfigureAwait(false);
            }

            return names;
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task<T> ReadJsonAsync<T>(Azure.Storage.Blobs.BlobClient blob, CancellationToken cancellationToken)
    {
        BinaryData content = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        return content.ToObjectFromJson<T>() ?? throw new InvalidDataException($"Work blob {blob.Name} is empty.");
    }
}
