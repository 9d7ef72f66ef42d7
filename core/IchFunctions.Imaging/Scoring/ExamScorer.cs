using System.Diagnostics;
using IchFunctions.Imaging.Aggregation;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Models;
using IchFunctions.Imaging.Selection;
using IchFunctions.Imaging.Sources;
using IchFunctions.Imaging.Volumes;

namespace IchFunctions.Imaging.Scoring;

/// <summary>
/// Scores one exam end to end: reads every header of the source, selects the series, loads it as an HU
/// volume, runs the model over every slice and aggregates the outputs into the exam result.
/// </summary>
public sealed class ExamScorer
{
    private readonly IModelRunner _runner;
    private readonly ScoringOptions _options;

    public ExamScorer(IModelRunner runner, ScoringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
        _options = options ?? ScoringOptions.Default;

        // Fails early, listing the contract's operating points, when the requested one does not exist.
        _runner.Contract.OperatingPoint(_options.OperatingPoint);
    }

    public async Task<ScoringResult> ScoreAsync(IInstanceSource source, IProgress<ScoringProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var clock = Stopwatch.StartNew();
        int total = source.Locations.Count;
        ScanResult scan = InstanceScanner.Scan(source, Relay(progress, ScoringStage.Scanning, total), cancellationToken);
        long scanMs = Lap(clock);

        progress?.Report(new ScoringProgress(ScoringStage.Selecting, 0, 1));
        SelectionResult selection = SeriesSelector.Select(scan.Instances, _options.Selection);
        long selectMs = Lap(clock);
        if (selection.SelectedGeometry is null)
        {
            return Unscored(selection, scan, new StageTimings(scanMs, selectMs, 0, 0, 0));
        }

        int slices = selection.SelectedInstances!.Count;
        HuVolume volume = HuVolumeLoader.Load(source, selection.SelectedGeometry, selection.SelectedInstances, Relay(progress, ScoringStage.Loading, slices), cancellationToken);
        long loadMs = Lap(clock);

        var inference = new SeriesInference(_runner, _options.BatchSize);
        IProgress<InferenceProgress>? inferenceProgress = progress is null
            ? null
            : new SynchronousProgress<InferenceProgress>(p => progress.Report(new ScoringProgress(ScoringStage.Inference, p.SlicesDone, p.SliceCount)));
        SeriesOutputs outputs = await inference.RunAsync(volume.Voxels, volume.SliceCount, volume.Rows, volume.Columns, inferenceProgress, cancellationToken).ConfigureAwait(false);
        long inferenceMs = Lap(clock);

        progress?.Report(new ScoringProgress(ScoringStage.Aggregating, 0, 1));
        ModelContract contract = _runner.Contract;
        OperatingPoint[] points = contract.OperatingPoints.Select(p => new OperatingPoint(p.Name, p.Threshold)).ToArray();
        ExamAggregate aggregate = ExamAggregator.Aggregate(volume.Geometry, outputs.SliceProbabilities, outputs.PixelProbabilities, contract.PixelThreshold, points);
        long aggregateMs = Lap(clock);

        return new ScoringResult
        {
            Contract = contract,
            Runner = _runner.Description,
            Selection = selection,
            SkippedFiles = scan.Skipped,
            Volume = volume,
            Aggregate = aggregate,
            PixelProbabilities = outputs.PixelProbabilities,
            Decision = aggregate.Decisions.Single(d => d.Name == _options.OperatingPoint),
            Timings = new StageTimings(scanMs, selectMs, loadMs, inferenceMs, aggregateMs),
        };
    }

    private ScoringResult Unscored(SelectionResult selection, ScanResult scan, StageTimings timings) => new()
    {
        Contract = _runner.Contract,
        Runner = _runner.Description,
        Selection = selection,
        SkippedFiles = scan.Skipped,
        Decision = null,
        Timings = timings,
    };

    private static SynchronousProgress<int>? Relay(IProgress<ScoringProgress>? progress, ScoringStage stage, int total) =>
        progress is null ? null : new SynchronousProgress<int>(done => progress.Report(new ScoringProgress(stage, done, total)));

    private static long Lap(Stopwatch clock)
    {
        long elapsed = clock.ElapsedMilliseconds;
        clock.Restart();
        return elapsed;
    }

    /// <summary>Reports on the calling thread, unlike <see cref="Progress{T}"/>, which posts to the thread pool.</summary>
    private sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
