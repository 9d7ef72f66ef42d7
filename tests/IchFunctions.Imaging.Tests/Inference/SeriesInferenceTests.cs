using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Models;

namespace IchFunctions.Imaging.Tests.Inference;

public sealed class SeriesInferenceTests
{
    private static ModelContract Contract(int contextSlices, ContractTiling tiling) => new()
    {
        ContractVersion = "1.0",
        ModelName = "echo",
        ModelVersion = "1",
        IntendedUse = "tests",
        NotForClinicalUse = true,
        Input = new ContractInput("hu", "HU", contextSlices, 8),
        Outputs = new ContractOutputs(ModelContract.PixelOutputName, ModelContract.SliceOutputName),
        Tiling = tiling,
        ExamScoreRule = ModelContract.MaxSliceProbabilityRule,
        PixelThreshold = 0.5,
        OperatingPoints = [new ContractOperatingPoint("default", 0.5)],
    };

    /// <summary>
    /// A stand-in model whose outputs expose what it was given: each pixel probability is the centre context
    /// slice's HU divided by 1000, and the slice probability is the first context slice's top-left HU / 1000.
    /// It records the window sizes it saw. With more than one concurrent batch, each call waits a little so
    /// that calls overlap, and the runner records the largest number of calls in flight.
    /// </summary>
    private sealed class EchoRunner(ModelContract contract, int concurrentBatches = 1) : IModelRunner
    {
        private int _inFlight;

        public List<(int Batch, int Height, int Width)> Calls { get; } = [];

        public int MaxInFlight { get; private set; }

        public ModelContract Contract { get; } = contract;

        public string Description => "echo";

        public int ConcurrentBatches => concurrentBatches;

        public async Task RunAsync(ReadOnlyMemory<float> input, int batch, int height, int width, Memory<float> pixelOutput, Memory<float> sliceOutput, CancellationToken cancellationToken)
        {
            lock (Calls)
            {
                Calls.Add((batch, height, width));
                MaxInFlight = Math.Max(MaxInFlight, ++_inFlight);
            }

            if (concurrentBatches > 1)
            {
                await Task.Delay(20, cancellationToken);
            }

            Echo(input, batch, height, width, pixelOutput, sliceOutput);
            lock (Calls)
            {
                _inFlight--;
            }
        }

        private void Echo(ReadOnlyMemory<float> input, int batch, int height, int width, Memory<float> pixelOutput, Memory<float> sliceOutput)
        {
            int context = Contract.Input.ContextSlices;
            int plane = height * width;
            for (int item = 0; item < batch; item++)
            {
                ReadOnlySpan<float> centre = input.Span.Slice(((item * context) + (context / 2)) * plane, plane);
                for (int i = 0; i < plane; i++)
                {
                    pixelOutput.Span[(item * plane) + i] = centre[i] / 1000f;
                }

                sliceOutput.Span[item] = input.Span[item * context * plane] / 1000f;
            }
        }

        public void Dispose()
        {
        }
    }

    /// <summary>Volume whose voxel value encodes its position: slice * 100 + (row + column) % 50.</summary>
    private static short[] Volume(int slices, int rows, int columns) =>
        Enumerable.Range(0, slices * rows * columns)
            .Select(i => (short)((i / (rows * columns) * 100) + (((i / columns % rows) + (i % columns)) % 50)))
            .ToArray();

    [Fact]
    public async Task RunAsync_WholeSlice_PadsAndCropsBack()
    {
        var runner = new EchoRunner(Contract(3, new ContractTiling(ContractTiling.WholeSlice)));
        short[] hu = Volume(4, 13, 21);

        SeriesOutputs outputs = await new SeriesInference(runner, batchSize: 3).RunAsync(hu, 4, 13, 21, null, TestContext.Current.CancellationToken);

        Assert.All(runner.Calls, call => Assert.Equal((16, 24), (call.Height, call.Width)));
        Assert.Equal([2, 2], runner.Calls.Select(c => c.Batch));
        for (int i = 0; i < hu.Length; i++)
        {
            Assert.Equal(hu[i] / 1000f, outputs.PixelProbabilities[i], 6);
        }
    }

    [Fact]
    public async Task RunAsync_ContextAtEnds_RepeatsEndSlice()
    {
        var runner = new EchoRunner(Contract(5, new ContractTiling(ContractTiling.WholeSlice)));
        short[] hu = Volume(4, 8, 8);

        SeriesOutputs outputs = await new SeriesInference(runner, batchSize: 2).RunAsync(hu, 4, 8, 8, null, TestContext.Current.CancellationToken);

        // The first of five context slices is slice - 2, clamped to 0: slices 0, 1, 2, 3 see 0, 0, 0, 1.
        Assert.Equal([0f, 0f, 0f, 0.1f], outputs.SliceProbabilities);
    }

    [Fact]
    public async Task RunAsync_OverlappingPatches_AverageToTheSameValues()
    {
        var runner = new EchoRunner(Contract(1, new ContractTiling(ContractTiling.Patch, 16, 8)));
        short[] hu = Volume(2, 30, 37);

        SeriesOutputs outputs = await new SeriesInference(runner, batchSize: 5).RunAsync(hu, 2, 30, 37, null, TestContext.Current.CancellationToken);

        Assert.All(runner.Calls, call => Assert.Equal((16, 16), (call.Height, call.Width)));
        for (int i = 0; i < hu.Length; i++)
        {
            Assert.Equal(hu[i] / 1000f, outputs.PixelProbabilities[i], 5);
        }
    }

    [Fact]
    public async Task RunAsync_ConcurrentOverlappingPatches_MatchOneAtATime()
    {
        var tiling = new ContractTiling(ContractTiling.Patch, 16, 8);
        short[] hu = Volume(3, 30, 37);
        var sequential = new EchoRunner(Contract(3, tiling));
        var concurrent = new EchoRunner(Contract(3, tiling), concurrentBatches: 3);
        var reports = new List<InferenceProgress>();

        SeriesOutputs one = await new SeriesInference(sequential, batchSize: 2).RunAsync(hu, 3, 30, 37, null, TestContext.Current.CancellationToken);
        SeriesOutputs many = await new SeriesInference(concurrent, batchSize: 2).RunAsync(hu, 3, 30, 37, new SynchronousProgress(reports), TestContext.Current.CancellationToken);

        Assert.Equal(3, concurrent.MaxInFlight);
        Assert.Equal(one.PixelProbabilities, many.PixelProbabilities);
        Assert.Equal(one.SliceProbabilities, many.SliceProbabilities);
        Assert.Equal(3, reports[^1].SlicesDone);
        Assert.True(reports.Select(r => r.SlicesDone).SequenceEqual(reports.Select(r => r.SlicesDone).Order()), "progress went backwards");
    }

    [Theory]
    [InlineData(28, 4, 2, new[] { 4, 4, 4, 4, 3, 3, 3, 3 })]
    [InlineData(28, 4, 1, new[] { 4, 4, 4, 4, 4, 4, 4 })]
    [InlineData(5, 2, 1, new[] { 2, 2, 1 })]
    [InlineData(3, 8, 4, new[] { 1, 1, 1 })]
    [InlineData(1, 4, 2, new[] { 1 })]
    public void SplitEvenly_BalancesBatchesOverRunners(int items, int batchSize, int concurrency, int[] sizes)
    {
        List<int> work = [.. Enumerable.Range(0, items)];

        List<List<int>> batches = SeriesInference.SplitEvenly(work, batchSize, concurrency);

        Assert.Equal(sizes, batches.Select(b => b.Count));
        Assert.Equal(work, batches.SelectMany(b => b));
    }

    [Fact]
    public async Task RunAsync_ReportsProgressToTheLastSlice()
    {
        var runner = new EchoRunner(Contract(1, new ContractTiling(ContractTiling.WholeSlice)));
        var reports = new List<InferenceProgress>();

        await new SeriesInference(runner, batchSize: 2).RunAsync(Volume(5, 8, 8), 5, 8, 8, new SynchronousProgress(reports), TestContext.Current.CancellationToken);

        Assert.Equal([2, 4, 5], reports.Select(r => r.SlicesDone));
        Assert.All(reports, r => Assert.Equal(5, r.SliceCount));
    }

    [Fact]
    public async Task RunAsync_Cancelled_Throws()
    {
        var runner = new EchoRunner(Contract(1, new ContractTiling(ContractTiling.WholeSlice)));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SeriesInference(runner, 2).RunAsync(Volume(3, 8, 8), 3, 8, 8, null, cancellation.Token));
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public void Plan_PatchesCoverEveryPixel()
    {
        IReadOnlyList<Tile> tiles = Tiling.Plan(100, 70, Contract(1, new ContractTiling(ContractTiling.Patch, 32, 24)));

        var covered = new float[100 * 70];
        foreach (Tile tile in tiles)
        {
            Tiling.CountCoverage(tile, 100, 70, covered);
        }

        Assert.All(covered, count => Assert.True(count >= 1));
        Assert.Contains(tiles, t => t.Top == 100 - 32);
        Assert.Contains(tiles, t => t.Left == 70 - 32);
    }

    private sealed class SynchronousProgress(List<InferenceProgress> reports) : IProgress<InferenceProgress>
    {
        public void Report(InferenceProgress value) => reports.Add(value);
    }
}
