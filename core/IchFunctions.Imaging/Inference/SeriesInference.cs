using System.Buffers;
using IchFunctions.Imaging.Models;

namespace IchFunctions.Imaging.Inference;

/// <summary>Progress of inference over a series: slices finished out of the total.</summary>
public readonly record struct InferenceProgress(int SlicesDone, int SliceCount);

/// <summary>Model outputs for every slice of a series, in the series' [slice, row, column] layout.</summary>
public sealed record SeriesOutputs(float[] PixelProbabilities, float[] SliceProbabilities);

/// <summary>
/// Runs a contract model over every slice of an HU volume: stacks each slice with its context slices
/// (repeating the end slice at the first and last slice), pads height and width with -1024 HU at the bottom
/// and right to the contract's size multiple, runs whole slices or overlapping patches in batches, and crops
/// the outputs back. Where patches overlap, pixel probabilities are averaged; a slice's probability is the
/// highest over its patches.
/// </summary>
public sealed class SeriesInference
{
    /// <summary>Value that padding pixels get, the air value of the HU volumes.</summary>
    public const float PaddingHu = -1024f;

    private readonly IModelRunner _runner;
    private readonly int _batchSize;
    private readonly ModelContract _contract;

    /// <param name="runner">Runs the model on one batch.</param>
    /// <param name="batchSize">Windows per model call.</param>
    /// <param name="tiling">Replaces the contract's tiling, to compare whole slices with patches; null keeps the contract's.</param>
    public SeriesInference(IModelRunner runner, int batchSize, ContractTiling? tiling = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        _runner = runner;
        _batchSize = batchSize;
        _contract = tiling is null ? runner.Contract : runner.Contract with { Tiling = tiling };
        ModelContractValidation.Validate(_contract);
    }

    public Task<SeriesOutputs> RunAsync(
        ReadOnlyMemory<short> hu, int slices, int rows, int columns, IProgress<InferenceProgress>? progress, CancellationToken cancellationToken) =>
        RunAsync(hu, slices, rows, columns, 0, slices, progress, cancellationToken);

    /// <summary>
    /// Scores only slices <paramref name="firstSlice"/> to <paramref name="firstSlice"/> + <paramref name="sliceCount"/> - 1
    /// of <paramref name="hu"/>, taking their context slices from the rest of it, and returns outputs for those slices
    /// only. A chunk of a series is scored this way with the context slices beside the chunk, so the result equals
    /// that of the whole series.
    /// </summary>
    public async Task<SeriesOutputs> RunAsync(
        ReadOnlyMemory<short> hu, int slices, int rows, int columns, int firstSlice, int sliceCount,
        IProgress<InferenceProgress>? progress, CancellationToken cancellationToken)
    {
        ModelContract contract = _contract;
        if (contract.PixelSpacingMm is not null)
        {
            // TODO: resample slices to the contract's pixel spacing and the probabilities back; no shipped model sets a spacing yet.
            throw new InferenceException(
                $"Model {contract.ModelName} {contract.ModelVersion} asks for {contract.PixelSpacingMm[0]}x{contract.PixelSpacingMm[1]} mm pixels, but resampling is not implemented; use a model that runs at native spacing.");
        }

        if (hu.Length != slices * rows * columns)
        {
            throw new ArgumentException($"The volume has {hu.Length} voxels but {slices}x{rows}x{columns} were given.", nameof(hu));
        }

        if (firstSlice < 0 || sliceCount < 0 || firstSlice + sliceCount > slices)
        {
            throw new ArgumentOutOfRangeException(nameof(sliceCount), $"Slices {firstSlice} to {firstSlice + sliceCount - 1} are outside the volume's {slices} slices.");
        }

        var pixels = new float[sliceCount * rows * columns];
        var sliceProbabilities = new float[sliceCount];
        IReadOnlyList<Tile> tiles = Tiling.Plan(rows, columns, contract);
        var tileCounts = new float[rows * columns];
        foreach (Tile tile in tiles)
        {
            Tiling.CountCoverage(tile, rows, columns, tileCounts);
        }

        var work = new List<(int Slice, Tile Tile)>(sliceCount * tiles.Count);
        for (int slice = firstSlice; slice < firstSlice + sliceCount; slice++)
        {
            work.AddRange(tiles.Select(tile => (slice, tile)));
        }

        int done = 0;
        for (int start = 0; start < work.Count; start += _batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            List<(int Slice, Tile Tile)> batch = work.GetRange(start, Math.Min(_batchSize, work.Count - start));
            await RunBatchAsync(hu, slices, rows, columns, firstSlice, batch, pixels, sliceProbabilities, cancellationToken).ConfigureAwait(false);

            int finished = batch[^1].Slice - firstSlice + (batch[^1].Tile == tiles[^1] ? 1 : 0);
            if (finished > done)
            {
                done = finished;
                progress?.Report(new InferenceProgress(done, sliceCount));
            }
        }

        Tiling.Normalise(pixels, tileCounts);
        return new SeriesOutputs(pixels, sliceProbabilities);
    }

    private async Task RunBatchAsync(
        ReadOnlyMemory<short> hu, int slices, int rows, int columns, int firstSlice, List<(int Slice, Tile Tile)> batch,
        float[] pixels, float[] sliceProbabilities, CancellationToken cancellationToken)
    {
        int context = _runner.Contract.Input.ContextSlices;
        Tile shape = batch[0].Tile;
        int plane = shape.Height * shape.Width;
        float[] input = ArrayPool<float>.Shared.Rent(batch.Count * context * plane);
        float[] pixelOutput = ArrayPool<float>.Shared.Rent(batch.Count * plane);
        float[] sliceOutput = ArrayPool<float>.Shared.Rent(batch.Count);
        try
        {
            for (int item = 0; item < batch.Count; item++)
            {
                for (int k = 0; k < context; k++)
                {
                    int source = Math.Clamp(batch[item].Slice + k - (context / 2), 0, slices - 1);
                    Span<float> destination = input.AsSpan(((item * context) + k) * plane, plane);
                    Tiling.CopyIn(hu.Span.Slice(source * rows * columns, rows * columns), rows, columns, batch[item].Tile, destination);
                }
            }

            await _runner.RunAsync(
                input.AsMemory(0, batch.Count * context * plane), batch.Count, shape.Height, shape.Width,
                pixelOutput.AsMemory(0, batch.Count * plane), sliceOutput.AsMemory(0, batch.Count), cancellationToken).ConfigureAwait(false);

            for (int item = 0; item < batch.Count; item++)
            {
                (int slice, Tile tile) = batch[item];
                int outputSlice = slice - firstSlice;
                Tiling.AddOut(pixelOutput.AsSpan(item * plane, plane), tile, rows, columns, pixels.AsSpan(outputSlice * rows * columns, rows * columns));
                sliceProbabilities[outputSlice] = Math.Max(sliceProbabilities[outputSlice], sliceOutput[item]);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
            ArrayPool<float>.Shared.Return(pixelOutput);
            ArrayPool<float>.Shared.Return(sliceOutput);
        }
    }
}
