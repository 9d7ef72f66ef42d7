using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using IchFunctions.Benchmarks;

// Prepares the JPEG Lossless copies of the series, runs the BenchmarkDotNet benchmarks, then the pydicom peer on
// the same files, and prints the ratios that docs/benchmarks.md records.
string series = BenchmarkData.FindSeriesFolder();
string jpegLossless = Path.Combine(Path.GetTempPath(), "ich-bench-jpeg-lossless");
if (Directory.Exists(jpegLossless))
{
    Directory.Delete(jpegLossless, recursive: true);
}

BenchmarkData.WriteJpegLosslessVariants(series, jpegLossless);
Environment.SetEnvironmentVariable(BenchmarkData.SeriesVariable, series);
Environment.SetEnvironmentVariable(BenchmarkData.JpegLosslessVariable, jpegLossless);

IConfig config = DefaultConfig.Instance.AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15));
Summary summary = BenchmarkRunner.Run<HeadSeriesBenchmarks>(config, args);

string peerScript = Path.Combine(AppContext.BaseDirectory, "pydicom_peer.py");
using JsonDocument peer = JsonDocument.Parse(Tools.Run("/usr/bin/python3", [peerScript, series, jpegLossless]));
Console.WriteLine(peer.RootElement.ToString());

long pixelBytes = 28L * 512 * 512 * sizeof(short);
Console.WriteLine();
Console.WriteLine("| variant | ours (ms) | allocated / pixel bytes | pydicom decode only (ms) | ratio | pydicom read + decode (ms) | ratio |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach ((string method, string key) in new[] { ("Uncompressed", "uncompressed"), ("JpegLossless", "jpeg_lossless"), ("ReadUncompressed", "uncompressed"), ("ReadJpegLossless", "jpeg_lossless") })
{
    BenchmarkReport report = summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);
    double ours = report.ResultStatistics!.Median / 1e6;
    long allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0;
    JsonElement peerResult = peer.RootElement.GetProperty(key);
    double decodeOnly = peerResult.GetProperty("decode_only_ms").GetDouble();
    double readAndDecode = peerResult.GetProperty("read_and_decode_ms").GetDouble();
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"| {method} | {ours:F2} | {(double)allocated / pixelBytes:F3} | {decodeOnly:F1} | {decodeOnly / ours:F1}x | {readAndDecode:F1} | {readAndDecode / ours:F1}x |"));
}
