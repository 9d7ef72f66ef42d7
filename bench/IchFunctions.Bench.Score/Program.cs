using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using IchFunctions.Imaging.Aggregation;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Models;
using IchFunctions.Imaging.Scoring;
using IchFunctions.Imaging.Sources;

// Usage: ONNX_MODEL SERIES_FOLDER [CHECKPOINT] [REPEATS] [ROUNDS]
// Times the whole scoring path (headers, selection, decoding, inference, aggregation) with `ich score`'s
// engine defaults, then the PyTorch peer (bench/score_peer.py) on the same series when a checkpoint is given,
// alternating the two for ROUNDS rounds so that both see the same machine load; then compares whole-slice
// inference with 256-pixel patches every 128 pixels on the same volume.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: ONNX_MODEL SERIES_FOLDER [CHECKPOINT] [REPEATS] [ROUNDS]");
    return 2;
}

string model = args[0];
string series = args[1];
string? checkpoint = args.Length > 2 && args[2].Length > 0 ? args[2] : null;
int repeats = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
int rounds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;

// Engine settings are `ich score`'s defaults; on 2 cores that is 2 concurrent batches of 1 thread each.
using OnnxModelRunner runner = OnnxModelRunner.Load(model);
using FileSource source = FileSource.FromFolder(series);
var scorer = new ExamScorer(runner);
Console.WriteLine($"engine: {runner.Description}; {Environment.ProcessorCount} cores");

await scorer.ScoreAsync(source); // warm-up: JIT, ONNX Runtime initialisation, page cache
ScoringResult result = null!;
var ratios = new List<double>();
for (int round = 1; round <= rounds; round++)
{
    string load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
    var totals = new List<double>();
    for (int i = 0; i < repeats; i++)
    {
        var clock = Stopwatch.StartNew();
        result = await scorer.ScoreAsync(source);
        totals.Add(clock.Elapsed.TotalSeconds);
    }

    int count = result.Volume!.SliceCount;
    double median = totals.Order().ElementAt(totals.Count / 2);
    double inferenceSeconds = result.Timings.InferenceMs / 1000.0;
    string line = Invariant($"round {round} (load {load}): ich score {count} slices, median {median:0.00} s over {repeats} runs ({count / median:0.00} slices/s), inference {inferenceSeconds:0.00} s");
    if (checkpoint is not null)
    {
        double peerSeconds = await RunPeerAsync(checkpoint, series, repeats);
        ratios.Add(peerSeconds / median);
        line += Invariant($"; PyTorch {peerSeconds:0.00} s ({count / peerSeconds:0.00} slices/s); throughput ratio {peerSeconds / median:0.00}x");
    }

    Console.WriteLine(line);
}

if (ratios.Count > 0)
{
    Console.WriteLine(Invariant($"throughput ratio ich score / PyTorch over {ratios.Count} rounds: median {ratios.Order().ElementAt(ratios.Count / 2):0.00}x, range {ratios.Min():0.00}x to {ratios.Max():0.00}x"));
}

await TimeCommandLineAsync(series, model, repeats);

int slices = result.Volume!.SliceCount;

// Whole slice against patches on the same volume, inference only.
var wholeClock = Stopwatch.StartNew();
SeriesOutputs whole = await new SeriesInference(runner, 4).RunAsync(result.Volume.Voxels, slices, result.Volume.Rows, result.Volume.Columns, null, CancellationToken.None);
double wholeSeconds = wholeClock.Elapsed.TotalSeconds;
var patchClock = Stopwatch.StartNew();
SeriesOutputs patches = await new SeriesInference(runner, 4, new ContractTiling(ContractTiling.Patch, 256, 128)).RunAsync(result.Volume.Voxels, slices, result.Volume.Rows, result.Volume.Columns, null, CancellationToken.None);
double patchSeconds = patchClock.Elapsed.TotalSeconds;

double maxPixel = 0, sumPixel = 0;
for (int i = 0; i < whole.PixelProbabilities.Length; i++)
{
    double difference = Math.Abs(whole.PixelProbabilities[i] - patches.PixelProbabilities[i]);
    maxPixel = Math.Max(maxPixel, difference);
    sumPixel += difference;
}

double maxSlice = whole.SliceProbabilities.Zip(patches.SliceProbabilities, (a, b) => Math.Abs(a - b)).Max();
byte[] Mask(float[] p) => p.Select(v => v >= runner.Contract.PixelThreshold ? (byte)1 : (byte)0).ToArray();
double? dice = Overlap.Dice(Mask(whole.PixelProbabilities), Mask(patches.PixelProbabilities));
Console.WriteLine(Invariant($"tiling: whole slice {wholeSeconds:0.00} s, patches 256/128 {patchSeconds:0.00} s ({patchSeconds / wholeSeconds:0.00}x); pixel probability difference max {maxPixel:0.0000}, mean {sumPixel / whole.PixelProbabilities.Length:0.000000}; slice probability difference max {maxSlice:0.0000}; mask Dice whole vs patches {(dice is double d ? d.ToString("0.0000", CultureInfo.InvariantCulture) : "undefined (both empty)")}"));
return 0;

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

// Times the `ich score` command as a user runs it: process start, model load, scoring, SEG, SR, key images
// and report.json. Needs the Release build of cli/.
static async Task TimeCommandLineAsync(string series, string model, int repeats)
{
    string ich = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "cli", "bin", "Release", "net10.0", "ich"));
    if (!File.Exists(ich))
    {
        Console.WriteLine($"ich score command: not timed, {ich} is missing (run dotnet build cli -c Release)");
        return;
    }

    string output = Directory.CreateTempSubdirectory("ich-bench-").FullName;
    var totals = new List<double>();
    try
    {
        for (int i = 0; i <= repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(new ProcessStartInfo(ich) { ArgumentList = { "score", series, "--model", model, "--out", output, "--json" }, RedirectStandardOutput = true, RedirectStandardError = true })!;
            await Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"ich score exited with code {process.ExitCode}.");
            }

            totals.Add(clock.Elapsed.TotalSeconds);
        }
    }
    finally
    {
        Directory.Delete(output, recursive: true);
    }

    // The first run warms the page cache and is left out, as for the in-process runs.
    double median = totals.Skip(1).Order().ElementAt(repeats / 2);
    Console.WriteLine(Invariant($"ich score command (process start to exit, all outputs written): median {median:0.00} s over {repeats} runs"));
}

// Runs bench/score_peer.py and returns its median seconds for reading and scoring the series.
static async Task<double> RunPeerAsync(string checkpoint, string series, int repeats)
{
    using var peer = Process.Start(new ProcessStartInfo("/usr/bin/python3")
    {
        ArgumentList = { Path.Combine(AppContext.BaseDirectory, "score_peer.py"), checkpoint, series, repeats.ToString(CultureInfo.InvariantCulture) },
        RedirectStandardOutput = true,
        Environment = { ["PYTHONPATH"] = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "training")) },
    })!;
    string output = await peer.StandardOutput.ReadToEndAsync();
    await peer.WaitForExitAsync();
    Match seconds = Regex.Match(output, @"median ([0-9.]+) s");
    if (peer.ExitCode != 0 || !seconds.Success)
    {
        throw new InvalidOperationException($"The PyTorch peer failed (exit code {peer.ExitCode}): {output.Trim()}");
    }

    return double.Parse(seconds.Groups[1].Value, CultureInfo.InvariantCulture);
}
