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
/// chunks, runs the model, and writes the pixels at or above the pixel threshold to a work blob.
/// </summary>
public sealed class InferChunkActivity(ScoringStorage storage, VoxelCache voxelCache, ModelRunnerProvider models, ILogger<InferChunkActivity> logger)
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
        await HuSlices.ReadAsync(work, voxelCache, plan, low, high, hu, cancellationToken).ConfigureAwait(false);

        var inferenceClock = Stopwatch.StartNew();
        var inference = new SeriesInference(runner, models.IsRemote ? plan.ChunkSlices : InProcessBatchSize);
        SeriesOutputs outputs = await inference.RunAsync(hu, high - low, plan.Rows, plan.Columns, first - low, count, null, cancellationToken).ConfigureAwait(false);
        long inferenceMs = inferenceClock.ElapsedMilliseconds;

        MaskedPixel[] masked = MaskedPixel.Select(outputs.PixelProbabilities, runner.Contract.PixelThreshold);
        await WorkBlobs.UploadAsync(work.MaskedPixelChunk(input.Index), masked, cancellationToken).ConfigureAwait(false);
        Logs.ChunkScored(logger, input.InstanceId, input.Index, count, inferenceMs, clock.ElapsedMilliseconds);
        return new InferChunkResult
        {
            SliceProbabilities = outputs.SliceProbabilities,
            InferenceMs = inferenceMs,
            ElapsedMs = clock.ElapsedMilliseconds,
            ModelVersion = runner.Contract.ModelVersion,
            PixelThreshold = runner.Contract.PixelThreshold,
        };
    }
}
