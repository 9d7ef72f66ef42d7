using System.Diagnostics;
using IchFunctions.Functions.Orchestration.Models;
using IchFunctions.Functions.Orchestration.Work;
using IchFunctions.Functions.Scoring;
using IchFunctions.Functions.Storage;
using IchFunctions.Imaging.Inference;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace IchFunctions.Functions.Orchestration.Activities;

/// <summary>
/// Scores one chunk: reads its HU slices and the context slices the model needs from the neighbouring
/// chunks, runs the model, and writes the pixel probabilities to a work blob.
/// </summary>
public sealed class InferChunkActivity(ScoringStorage storage, ModelRunnerProvider models, ILogger<InferChunkActivity> logger)
{
    /// <summary>Slices per model call in-process; the remote engine splits by the server's maximum batch size itself.</summary>
    private const int InProcessBatchSize = 4;

    [Function(ScoreStudyActivityNames.InferChunk)]
    public Task<InferChunkResult> RunAsync([ActivityTrigger] ChunkInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return PermanentFailures.RunAsync(
            () => InferAsync(input, cancellationToken), failure => new InferChunkResult { Failure = failure },
            models.IsRemote, logger, input.InstanceId, ScoreStudyActivityNames.InferChunk);
    }

    private async Task<InferChunkResult> InferAsync(ChunkInput input, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        IModelRunner runner = await models.GetAsync(cancellationToken).ConfigureAwait(false);
        ChunkPlan plan = input.Plan;
        var work = new WorkBlobs(storage.Work, input.InstanceId);

        // The window [low, high) contains the chunk and the context slices on each side that exist in the series.
        // SeriesInference repeats the end slices beyond the series exactly as it does for a whole volume.
        int half = runner.Contract.Input.ContextSlices / 2;
        int first = plan.FirstSlice(input.Index);
        int count = plan.SlicesIn(input.Index);
        int low = Math.Max(0, first - half);
        int high = Math.Min(plan.SliceCount, first + count + half);
        int plane = plan.Rows * plan.Columns;
        var hu = new short[(high - low) * plane];
        await ReadSlicesAsync(work, plan, low, high, hu, cancellationToken).ConfigureAwait(false);

        var inferenceClock = Stopwatch.StartNew();
        var inference = new SeriesInference(runner, models.IsRemote ? plan.ChunkSlices : InProcessBatchSize);
        SeriesOutputs outputs = await inference.RunAsync(hu, high - low, plan.Rows, plan.Columns, first - low, count, null, cancellationToken).ConfigureAwait(false);
        long inferenceMs = inferenceClock.ElapsedMilliseconds;

        await WorkBlobs.UploadAsync(work.ProbabilityChunk(input.Index), outputs.PixelProbabilities, cancellationToken).ConfigureAwait(false);
        Logs.ChunkScored(logger, input.InstanceId, input.Index, count, inferenceMs, clock.ElapsedMilliseconds);
        return new InferChunkResult { SliceProbabilities = outputs.SliceProbabilities, InferenceMs = inferenceMs, ElapsedMs = clock.ElapsedMilliseconds };
    }

    /// <summary>Reads slices [low, high) of the series from the HU chunk blobs that hold them.</summary>
    private static async Task ReadSlicesAsync(WorkBlobs work, ChunkPlan plan, int low, int high, short[] destination, CancellationToken cancellationToken)
    {
        int plane = plan.Rows * plan.Columns;
        int slice = low;
        while (slice < high)
        {
            int chunk = slice / plan.ChunkSlices;
            int chunkFirst = plan.FirstSlice(chunk);
            int take = Math.Min(high, chunkFirst + plan.SlicesIn(chunk)) - slice;
            await WorkBlobs.DownloadAsync(
                work.HuChunk(chunk), (long)(slice - chunkFirst) * plane, destination.AsMemory((slice - low) * plane, take * plane), cancellationToken).ConfigureAwait(false);
            slice += take;
        }
    }
}
