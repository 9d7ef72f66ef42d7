using System.Diagnostics;
using IchFunctions.Functions.Orchestration.Models;
using IchFunctions.Functions.Orchestration.Work;
using IchFunctions.Functions.Scoring;
using IchFunctions.Functions.Storage;
using IchFunctions.Functions.Studies;
using IchFunctions.Imaging.Selection;
using IchFunctions.Imaging.Sources;
using IchFunctions.Imaging.Volumes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Orchestration.Activities;

/// <summary>
/// Fetches one chunk of the selected series' instances, decodes them to int16 HU and writes the chunk to a
/// work blob, keeping a copy in this worker's <see cref="VoxelCache"/>.
/// </summary>
public sealed class PreprocessChunkActivity(
    StudySources sources, ScoringStorage storage, VoxelCache voxelCache, ModelRunnerProvider models, ILogger<PreprocessChunkActivity> logger)
{
    [Function(ScoreStudyActivityNames.PreprocessChunk)]
    public Task<PreprocessChunkResult> RunAsync([ActivityTrigger] ChunkInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return PermanentFailures.RunAsync(
            () => DecodeAsync(input, cancellationToken), failure => new PreprocessChunkResult { Failure = failure },
            models.IsRemote, logger, input.InstanceId, ScoreStudyActivityNames.PreprocessChunk);
    }

    private async Task<PreprocessChunkResult> DecodeAsync(ChunkInput input, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        ChunkPlan plan = input.Plan;
        var work = new WorkBlobs(storage.Work, input.InstanceId);
        InstanceHeader[] series = (await work.SelectedInstances.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToObjectFromJson<InstanceHeader[]>()
            ?? throw new InvalidDataException($"Work blob {work.SelectedInstances.Name} is empty.");
        if (series.Length != plan.SliceCount)
        {
            throw new InvalidOperationException($"Work blob {work.SelectedInstances.Name} lists {series.Length} instances, but the plan has {plan.SliceCount} slices.");
        }

        int first = plan.FirstSlice(input.Index);
        int count = plan.SlicesIn(input.Index);
        var voxels = new short[count * plan.Rows * plan.Columns];
        InstanceHeader[] chunk = series.AsSpan(first, count).ToArray();
        using (IInstanceSource source = await sources.RetrieveSelectedAsync(input.Request, [.. chunk.Select(instance => instance.Location)], cancellationToken).ConfigureAwait(false))
        {
            HuVolumeLoader.DecodeSlices(source, chunk, plan.Rows, plan.Columns, voxels, cancellationToken: cancellationToken);
        }

        Azure.Storage.Blobs.BlobClient blob = work.HuChunk(input.Index);
        voxelCache.Add(blob.Name, await WorkBlobs.UploadAsync(blob, voxels, cancellationToken).ConfigureAwait(false), voxels);
        Logs.ChunkDecoded(logger, input.InstanceId, input.Index, count, clock.ElapsedMilliseconds);
        return new PreprocessChunkResult { ElapsedMs = clock.ElapsedMilliseconds };
    }
}
