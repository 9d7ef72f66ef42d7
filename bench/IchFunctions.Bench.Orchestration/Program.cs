using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Blobs;
using IchFunctions.Bench.Orchestration;
using IchFunctions.Dicom;
using IchFunctions.Dicom.IO;
using IchFunctions.Dicom.Multipart;
using IchFunctions.Dicom.Uids;
using IchFunctions.Functions;
using IchFunctions.Functions.DicomService;
using IchFunctions.Functions.Options;
using IchFunctions.Functions.Orchestration;
using IchFunctions.Functions.Tests.Orchestration;
using IchFunctions.Imaging.Inference;
using IchFunctions.Imaging.Scoring;
using IchFunctions.Imaging.Sources;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Usage: ONNX_MODEL SERIES_FOLDER [RUNS]
// Needs the servers of './build.sh servers' (ICH_AZURITE_CONNECTION_STRING, ICH_DICOMWEB_URL). Stores the series
// under new UIDs in Orthanc. Times ExamScorer on the local files as the peer, which is the same job in one
// process with no orchestration. Then times ScoreStudy end to end on the in-process Durable Task host with
// in-process ONNX Runtime, for two chunk sizes. Inference time is the wall time during which some chunk was inside the model runner
// (from the activities' log events); overhead is the rest of the orchestration's wall time. Rows starting "||" break a run
// down into the wall time of each activity and the time between activities, when none was running.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: ONNX_MODEL SERIES_FOLDER [RUNS]");
    return 2;
}

string model = Path.GetFullPath(args[0]);
string folder = Path.GetFullPath(args[1]);
int runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
string azurite = Environment.GetEnvironmentVariable("ICH_AZURITE_CONNECTION_STRING") ?? throw new InvalidOperationException("Set ICH_AZURITE_CONNECTION_STRING (./build.sh servers prints it).");
Uri dicomWeb = new((Environment.GetEnvironmentVariable("ICH_DICOMWEB_URL") ?? throw new InvalidOperationException("Set ICH_DICOMWEB_URL (./build.sh servers prints it).")).TrimEnd('/') + "/");

// Peer: the whole job in one process on the local files.
using (OnnxModelRunner runner = OnnxModelRunner.Load(model))
using (FileSource files = FileSource.FromFolder(folder))
{
    var scorer = new ExamScorer(runner);
    for (int i = 0; i < WarmUpRuns; i++)
    {
        await scorer.ScoreAsync(files);
    }
    var totals = new List<double>();
    var inference = new List<double>();
    for (int i = 0; i < runs; i++)
    {
        var clock = Stopwatch.StartNew();
        ScoringResult result = await scorer.ScoreAsync(files);
        totals.Add(clock.Elapsed.TotalSeconds);
        inference.Add(result.Timings.InferenceMs / 1000.0);
    }

    Report.Row("ExamScorer (peer, local files, one process)", totals, inference);
}

string study = await StudyCopy.StoreAsync(folder, dicomWeb);
try
{
    foreach (int chunkSlices in (int[])[16, 28])
    {
        await using var bench = await OrchestrationBench.StartAsync(azurite, dicomWeb, model, chunkSlices);
        for (int i = 0; i < WarmUpRuns; i++)
        {
            await bench.RunAsync(study); // model load, JIT up to optimised code, first connections
        }
        var totals = new List<double>();
        var inference = new List<double>();
        var breakdowns = new List<IReadOnlyDictionary<string, double>>();
        for (int i = 0; i < runs; i++)
        {
            (double total, double modelSeconds, IReadOnlyDictionary<string, double> breakdown) = await bench.RunAsync(study);
            totals.Add(total);
            inference.Add(modelSeconds);
            breakdowns.Add(breakdown);
        }

        string name = string.Create(CultureInfo.InvariantCulture, $"ScoreStudy, {chunkSlices} slices per chunk");
        Report.Row(name, totals, inference);
        Report.Breakdown(name, breakdowns);
    }
}
finally
{
    await StudyCopy.DeleteAsync(dicomWeb, study);
}

return 0;

/// <summary>
/// Unmeasured runs before each row. With one, the code around the model could still be running unoptimised
/// (tiered compilation), which made a row's inference look slower than the same code after more runs.
/// </summary>
internal static partial class Program
{
    private const int WarmUpRuns = 3;
}

namespace IchFunctions.Bench.Orchestration
{
    internal static class Report
    {
        public static void Row(string name, List<double> totals, List<double> inference)
        {
            double total = Median(totals);
            double model = Median(inference);
            double overhead = Median(totals.Zip(inference, (t, m) => t - m).ToList());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {total:0.00} s | {model:0.00} s | {overhead:0.00} s | {100 * overhead / total:0} % | {totals.Count} |"));
        }

        /// <summary>Prints, for each part of a run, its median seconds over the runs.</summary>
        public static void Breakdown(string name, List<IReadOnlyDictionary<string, double>> runs)
        {
            foreach (string part in runs[0].Keys)
            {
                double seconds = Median(runs.Select(run => run.GetValueOrDefault(part)).ToList());
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"|| {name} | {part} | {seconds:0.000} s |"));
            }
        }

        private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    }

    /// <summary>The series under new study, series and instance UIDs in Orthanc, so the benchmark never touches other studies.</summary>
    internal static class StudyCopy
    {
        public static async Task<string> StoreAsync(string folder, Uri dicomWeb)
        {
            string study = DicomUidGenerator.NewUid();
            string series = DicomUidGenerator.NewUid();
            var content = new MultipartRelatedContent();
            foreach (string path in Directory.GetFiles(folder, "*.dcm").Order(StringComparer.Ordinal))
            {
                DicomFile file = DicomReader.ReadFile(path);
                string sop = DicomUidGenerator.NewUid();
                file.Dataset.SetStrings(DicomTags.StudyInstanceUid, DicomVR.UI, study);
                file.Dataset.SetStrings(DicomTags.SeriesInstanceUid, DicomVR.UI, series);
                file.Dataset.SetStrings(DicomTags.SopInstanceUid, DicomVR.UI, sop);
                file.FileMetaInformation.SetStrings(DicomTags.MediaStorageSopInstanceUid, DicomVR.UI, sop);
                var buffer = new MemoryStream();
                DicomWriter.Write(buffer, file);
                byte[] bytes = buffer.ToArray();
                content.Add("application/dicom", _ => Task.FromResult<Stream>(new MemoryStream(bytes)));
            }

            using var http = new HttpClient();
            using HttpResponseMessage response = await http.PostAsync(new Uri(dicomWeb, "studies"), content);
            response.EnsureSuccessStatusCode();
            return study;
        }

        /// <summary>Deletes the study through Orthanc's own REST API, which sits above the DICOMweb root.</summary>
        public static async Task DeleteAsync(Uri dicomWeb, string study)
        {
            using var http = new HttpClient();
            var orthanc = new Uri(dicomWeb, "../");
            using HttpResponseMessage lookup = await http.PostAsync(new Uri(orthanc, "tools/lookup"), new StringContent(study));
            string body = await lookup.Content.ReadAsStringAsync();
            using var document = System.Text.Json.JsonDocument.Parse(body);
            foreach (System.Text.Json.JsonElement match in document.RootElement.EnumerateArray())
            {
                using HttpResponseMessage deleted = await http.DeleteAsync(new Uri(orthanc, match.GetProperty("Path").GetString()!.TrimStart('/')));
            }
        }
    }

    /// <summary>ScoreStudy on the in-process host with the app's services, timing each run and its model time.</summary>
    internal sealed class OrchestrationBench : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        private readonly DurableTaskTestHost _host;
        private readonly BlobServiceClient _blobs;
        private readonly string _azurite;
        private readonly string _suffix;
        private readonly ModelIntervals _intervals;
        private readonly ActivitySpans _spans;

        private OrchestrationBench(ServiceProvider services, DurableTaskTestHost host, string azurite, string suffix, ModelIntervals intervals, ActivitySpans spans)
        {
            _spans = spans;
            _azurite = azurite;
            _blobs = new BlobServiceClient(azurite);
            _services = services;
            _host = host;
            _suffix = suffix;
            _intervals = intervals;
        }

        public static async Task<OrchestrationBench> StartAsync(string azurite, Uri dicomWeb, string model, int chunkSlices)
        {
            string suffix = Guid.NewGuid().ToString("N")[..12];
            IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite,
                ["DicomService:BaseUrl"] = dicomWeb.AbsoluteUri,
                ["DicomService:TokenScope"] = "",
                ["Inference:ModelPath"] = model,
                ["Storage:WorkContainer"] = "work-" + suffix,
                ["Storage:ResultsContainer"] = "results-" + suffix,
                ["Storage:AlertsQueue"] = "alerts-" + suffix,
                ["Scoring:OperatingPoint"] = "default",
                ["Scoring:ChunkSlices"] = chunkSlices.ToString(CultureInfo.InvariantCulture),
                ["Scoring:QuietPeriodSeconds"] = "0",
            }).Build();
            var intervals = new ModelIntervals();
            var services = new ServiceCollection();
            services.AddLogging(logging => logging.AddProvider(intervals).SetMinimumLevel(LogLevel.Information));
            services.AddIchFunctionsOptions(configuration);
            services.AddDicomServiceClient();
            services.AddScoreStudyServices(configuration);
            ServiceProvider provider = services.BuildServiceProvider();
            var spans = new ActivitySpans();
            DurableTaskTestHost host = await DurableTaskTestHost.StartAsync(registry => registry.AddScoreStudy(provider, spans));
            return new OrchestrationBench(provider, host, azurite, suffix, intervals, spans);
        }

        /// <summary>
        /// Runs ScoreStudy once. Returns its wall time, the wall time some chunk spent in the model, and the wall
        /// time of each activity (calls of one activity at the same time count once) and of the gaps between
        /// activities, all in seconds.
        /// </summary>
        public async Task<(double Total, double Model, IReadOnlyDictionary<string, double> Breakdown)> RunAsync(string study)
        {
            _intervals.Clear();
            _spans.Clear();
            string instanceId = ScoreStudyNames.InstanceId(null, study, "bench-" + Guid.NewGuid().ToString("N"));
            var clock = Stopwatch.StartNew();
            await _host.Client.ScheduleNewOrchestrationInstanceAsync(
                ScoreStudyNames.Orchestration, new ScoreStudyRequest { StudyInstanceUid = study, Trigger = "bench" }, new StartOrchestrationOptions { InstanceId = instanceId });
            OrchestrationMetadata done = await _host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true);
            double total = clock.Elapsed.TotalSeconds;
            ScoreStudyOutcome outcome = done.ReadOutputAs<ScoreStudyOutcome>()!;
            if (outcome.Kind != ScoreStudyOutcomeKind.Scored)
            {
                throw new InvalidOperationException($"ScoreStudy ended {outcome.Kind} {outcome.ReasonCode}: {outcome.Message}");
            }

            return (total, _intervals.UnionSeconds(), Breakdown(total));
        }

        private Dictionary<string, double> Breakdown(double total)
        {
            IReadOnlyList<(string Activity, DateTime Start, DateTime End)> spans = _spans.Snapshot();
            var parts = new Dictionary<string, double>();
            foreach (IGrouping<string, (string Activity, DateTime Start, DateTime End)> activity in spans.GroupBy(span => span.Activity))
            {
                parts[activity.Key] = Intervals.UnionSeconds(activity.Select(span => (span.Start, span.End)));
            }

            parts["between activities"] = total - Intervals.UnionSeconds(spans.Select(span => (span.Start, span.End)));
            return parts;
        }

        public async ValueTask DisposeAsync()
        {
            await _host.DisposeAsync();
            await _services.DisposeAsync();
            await _blobs.GetBlobContainerClient("work-" + _suffix).DeleteIfExistsAsync();
            await _blobs.GetBlobContainerClient("results-" + _suffix).DeleteIfExistsAsync();
            await new Azure.Storage.Queues.QueueClient(_azurite, "alerts-" + _suffix).DeleteIfExistsAsync();
        }
    }

    /// <summary>
    /// Collects, from the "chunk scored" log events (event ID 112), the interval each chunk spent in the model
    /// runner, and returns the length of their union, so chunks scored at the same time count once.
    /// </summary>
    internal sealed class ModelIntervals : ILoggerProvider, ILogger
    {
        private readonly ConcurrentBag<(DateTime Start, DateTime End)> _intervals = [];

        public void Clear() => _intervals.Clear();

        public double UnionSeconds() => Intervals.UnionSeconds(_intervals);

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != 112 || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                return;
            }

            // The event is logged when the chunk's activity ends, after the probabilities were uploaded. So the
            // interval is shifted late by the upload time, and its length is the model time.
            long inferenceMs = Convert.ToInt64(values.First(value => value.Key == "InferenceMs").Value, CultureInfo.InvariantCulture);
            DateTime end = DateTime.UtcNow;
            _intervals.Add((end - TimeSpan.FromMilliseconds(inferenceMs), end));
        }

        public void Dispose()
        {
        }
    }

    /// <summary>Lengths of unions of time intervals, so overlapping intervals count once.</summary>
    internal static class Intervals
    {
        public static double UnionSeconds(IEnumerable<(DateTime Start, DateTime End)> intervals)
        {
            double seconds = 0;
            DateTime reach = DateTime.MinValue;
            foreach ((DateTime start, DateTime end) in intervals.OrderBy(interval => interval.Start))
            {
                DateTime from = start > reach ? start : reach;
                if (end > from)
                {
                    seconds += (end - from).TotalSeconds;
                    reach = end;
                }
            }

            return seconds;
        }
    }
}
