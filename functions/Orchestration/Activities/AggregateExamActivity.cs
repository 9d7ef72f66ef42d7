using System.Diagnostics;
using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Json;
using IchFunctions.Functions.Orchestration.Models;
using IchFunctions.Functions.Orchestration.Work;
using IchFunctions.Functions.Scoring;
using IchFunctions.Functions.Storage;
using IchFunctions.Imaging.Aggregation;
using IchFunctions.Imaging.Geometry;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Models;
using IchFunctions.Imaging.Reports;
using IchFunctions.Imaging.Rendering;
using IchFunctions.Imaging.Scoring;
using IchFunctions.Imaging.Selection;
using IchFunctions.Imaging.Volumes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Orchestration.Activities;

/// <summary>
/// The fan-in: reads every chunk's masked pixels, aggregates them into the exam result, reads the voxels of
/// the key images' slices, and prepares the SEG, SR, key images and report.json in work blobs. Nothing
/// leaves the work container here, so a failure before the outputs are stored leaves no partial result anywhere.
/// </summary>
public sealed class AggregateExamActivity(ScoringStorage storage, VoxelCache voxelCache, ModelRunnerProvider models, ILogger<AggregateExamActivity> logger)
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

        // The selection and the masked pixels are small, so they are read at once.
        Task<InstanceHeader[]> instancesRead = ReadJsonAsync<InstanceHeader[]>(work.SelectedInstances, cancellationToken);
        Task<SeriesRecord[]> recordsRead = ReadJsonAsync<SeriesRecord[]>(work.SeriesRecords, cancellationToken);
        Task<BinaryData> headersRead = DownloadAsync(work.SelectedHeaders, cancellationToken);
        Task<float[]> pixelsRead = ReadProbabilitiesAsync(work, plan, cancellationToken);
        await Task.WhenAll(instancesRead, recordsRead, headersRead, pixelsRead).ConfigureAwait(false);
        InstanceHeader[] instances = await instancesRead.ConfigureAwait(false);
        IReadOnlyList<DicomDataset> headers = DicomJsonReader.ParseArray((await headersRead.ConfigureAwait(false)).ToString());

        // Selection over the selected series alone rebuilds its geometry in the same anatomical order.
        SelectionResult rebuilt = SeriesSelector.Select(instances);
        if (rebuilt.SelectedGeometry is null || rebuilt.SelectedInstances is null
            || !rebuilt.SelectedInstances.Select(i => i.SopInstanceUid).SequenceEqual(instances.Select(i => i.SopInstanceUid)))
        {
            throw new InvalidOperationException($"The selected series of instance {input.InstanceId} no longer forms the same slice stack.");
        }

        float[] pixels = await pixelsRead.ConfigureAwait(false);
        ExamAggregate aggregate = Aggregate(input, runner.Contract, rebuilt.SelectedGeometry, pixels);
        short[] voxels = await ReadKeySlicesAsync(work, plan, aggregate.Mask, cancellationToken).ConfigureAwait(false);
        var result = new ScoringResult
        {
            Contract = runner.Contract,
            Runner = runner.Description,
            Selection = new SelectionResult { Series = await recordsRead.ConfigureAwait(false), SelectedGeometry = rebuilt.SelectedGeometry, SelectedInstances = rebuilt.SelectedInstances },
            SkippedFiles = [],
            Volume = new HuVolume(rebuilt.SelectedGeometry, rebuilt.SelectedInstances, voxels),
            Aggregate = aggregate,
            PixelProbabilities = pixels,
            Decision = aggregate.Decisions.Single(d => d.Name == input.OperatingPoint),
            Timings = new StageTimings(0, 0, input.PreprocessMs, input.InferenceMs, clock.ElapsedMilliseconds),
        };

        (DicomFile seg, DicomFile sr) = ExamOutputWriter.CreateDicomOutputs(result, headers, input.GeneratedUtc, ExamOutputOptions.Default);
        string segUid = seg.Dataset.GetString(DicomTags.SopInstanceUid)!;
        string srUid = sr.Dataset.GetString(DicomTags.SopInstanceUid)!;
        var outputs = new Dictionary<string, string>
        {
            ["seg_file"] = SegmentationName,
            ["seg_sop_instance_uid"] = segUid,
            ["sr_file"] = ReportSrName,
            ["sr_sop_instance_uid"] = srUid,
        };
        IReadOnlyList<string> keyImages = await UploadOutputsAsync(work, result, seg, sr, outputs, input.GeneratedUtc, cancellationToken).ConfigureAwait(false);

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

    private static ExamAggregate Aggregate(AggregateExamInput input, ModelContract contract, SeriesGeometry geometry, float[] pixels)
    {
        if (input.SliceProbabilities.Count != input.Plan.SliceCount)
        {
            throw new InvalidOperationException($"{input.SliceProbabilities.Count} slice probabilities were passed for {input.Plan.SliceCount} slices.");
        }

        // The masked pixels hold only what reached the inference's threshold, so the mask must use the same one.
        if (contract.ModelVersion != input.ModelVersion || contract.PixelThreshold != input.PixelThreshold)
        {
            throw new ModelContractException(
                $"The chunks were scored by model version {input.ModelVersion} (pixel threshold {input.PixelThreshold}), but this worker has version "
                + $"{contract.ModelVersion} (pixel threshold {contract.PixelThreshold}); the model changed during the run, so score the study again.");
        }

        OperatingPoint[] points = contract.OperatingPoints.Select(p => new OperatingPoint(p.Name, p.Threshold)).ToArray();
        return ExamAggregator.Aggregate(geometry, input.SliceProbabilities.ToArray(), pixels, contract.PixelThreshold, points);
    }

    /// <summary>
    /// Returns the exam's pixel probabilities from every chunk's masked pixels. Pixels below the threshold are
    /// zero, which gives the same mask, lesions and binary SEG as the full probabilities.
    /// </summary>
    private static async Task<float[]> ReadProbabilitiesAsync(WorkBlobs work, ChunkPlan plan, CancellationToken cancellationToken)
    {
        int plane = plan.Rows * plan.Columns;
        var pixels = new float[plan.SliceCount * plane];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.ChunkCount), parallel, async (chunk, token) =>
        {
            Azure.Storage.Blobs.BlobClient blob = work.MaskedPixelChunk(chunk);
            MaskedPixel[] masked = await WorkBlobs.DownloadAllAsync<MaskedPixel>(blob, token).ConfigureAwait(false);
            MaskedPixel.Scatter(masked, pixels.AsSpan(plan.FirstSlice(chunk) * plane, plan.SlicesIn(chunk) * plane), blob.Name);
        }).ConfigureAwait(false);
        return pixels;
    }

    /// <summary>
    /// Reads the voxels of the slices the key images show. Nothing else after inference reads voxels, so the
    /// other slices are left zero rather than moved out of the work container.
    /// </summary>
    private async Task<short[]> ReadKeySlicesAsync(WorkBlobs work, ChunkPlan plan, byte[] mask, CancellationToken cancellationToken)
    {
        int plane = plan.Rows * plan.Columns;
        var voxels = new short[plan.SliceCount * plane];
        IReadOnlyList<int> slices = KeyImages.ChooseSlices(mask, plan.SliceCount, plane, ExamOutputOptions.Default.KeyImageCount);
        await Task.WhenAll(slices.Select(slice =>
            HuSlices.ReadAsync(work, voxelCache, plan, slice, slice + 1, voxels.AsMemory(slice * plane, plane), cancellationToken))).ConfigureAwait(false);
        return voxels;
    }

    private static async Task UploadDicomAsync(Azure.Storage.Blobs.BlobClient blob, DicomFile file, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await DicomWriter.WriteAsync(buffer, file, cancellationToken: cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        await blob.UploadAsync(buffer, overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Renders the key images into a temporary folder (the renderer writes files), adds them to
    /// <paramref name="outputs"/>, builds report.json, and then uploads the SEG, SR, key images and report at
    /// once. Returns the key images' names.
    /// </summary>
    private static async Task<IReadOnlyList<string>> UploadOutputsAsync(
        WorkBlobs work, ScoringResult result, DicomFile seg, DicomFile sr, Dictionary<string, string> outputs, DateTimeOffset generatedUtc,
        CancellationToken cancellationToken)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"ich-key-images-{Guid.NewGuid():N}");
        try
        {
            IReadOnlyList<string> keyImages = KeyImages.Write(result, folder, ExamOutputOptions.Default.KeyImageCount);
            for (int i = 0; i < keyImages.Count; i++)
            {
                outputs[$"key_image_{i + 1}"] = keyImages[i];
            }

            string report = ExamReportBuilder.ToJson(ExamReportBuilder.Build(result, generatedUtc, outputs));
            var uploads = new List<Task>
            {
                UploadDicomAsync(work.Output(SegmentationName), seg, cancellationToken),
                UploadDicomAsync(work.Output(ReportSrName), sr, cancellationToken),
                work.Output(ReportName).UploadAsync(BinaryData.FromString(report), overwrite: true, cancellationToken),
            };
            uploads.AddRange(keyImages.Select(name => work.Output(name).UploadAsync(Path.Combine(folder, name), overwrite: true, cancellationToken)));
            await Task.WhenAll(uploads).ConfigureAwait(false);
            return keyImages;
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
        BinaryData content = await DownloadAsync(blob, cancellationToken).ConfigureAwait(false);
        return content.ToObjectFromJson<T>() ?? throw new InvalidDataException($"Work blob {blob.Name} is empty.");
    }

    private static async Task<BinaryData> DownloadAsync(Azure.Storage.Blobs.BlobClient blob, CancellationToken cancellationToken) =>
        (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
}
